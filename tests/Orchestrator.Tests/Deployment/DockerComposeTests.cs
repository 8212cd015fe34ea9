using Lakehouse.Core.Config;
using Lakehouse.Core.Objects;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Tests.Deployment;

public sealed class DockerComposeTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Compose_HasTheServicesOfTheLocalStack()
    {
        Assert.Superset(new HashSet<string> { "postgres", "minio", "minio-init", "dashboard", "worker", "trino" }, _compose.ServiceNames.ToHashSet());
    }

    [Fact]
    public void EveryImage_IsPinnedToATag_OtherThanLatest()
    {
        foreach (var name in _compose.ServiceNames)
        {
            var image = ComposeFile.Scalar(_compose.Service(name), "image");
            Assert.False(image is null, $"service {name} has no image name");
            var tag = image!.Contains(':') ? image[(image.LastIndexOf(':') + 1)..] : "";
            Assert.False(tag is "" or "latest" || tag.Contains('/'), $"service {name}: image '{image}' is not pinned to a tag");
        }
    }

    [Fact]
    public void EveryEnvFileAndMountedFile_Exists()
    {
        foreach (var name in _compose.ServiceNames)
        {
            var service = _compose.Service(name);
            foreach (var envFile in ComposeFile.Strings(service, "env_file"))
                Assert.True(File.Exists(RepositoryFiles.PathOf(envFile)), $"service {name}: env_file {envFile} is missing");
            foreach (var volume in ComposeFile.Strings(service, "volumes").Where(v => v.StartsWith("./")))
            {
                var source = RepositoryFiles.PathOf(volume.Split(':')[0][2..]);
                Assert.True(File.Exists(source) || Directory.Exists(source), $"service {name}: mounted {source} is missing");
            }
        }
    }

    [Fact]
    public void Dashboard_ServesOnPort8080_WithoutWorkers_FromTheTmlakeImage()
    {
        var dashboard = _compose.Service("dashboard");

        Assert.Equal(["8080:8080"], ComposeFile.Strings(dashboard, "ports"));
        Assert.Equal(["serve", "--no-workers"], ComposeFile.Strings(dashboard, "command"));
        Assert.Equal(["config/local.env"], ComposeFile.Strings(dashboard, "env_file"));
        var build = (YamlMappingNode)ComposeFile.Child(dashboard, "build")!;
        Assert.Equal("docker/Dockerfile", ComposeFile.Scalar(build, "dockerfile"));
    }

    [Fact]
    public void Workers_RunAtLeastTwoReplicas_OfTheSameImage()
    {
        var worker = _compose.Service("worker");

        var replicas = int.Parse(ComposeFile.Scalar((YamlMappingNode)ComposeFile.Child(worker, "deploy")!, "replicas")!);

        Assert.True(replicas >= 2, $"worker replicas = {replicas}");
        Assert.Equal(["worker"], ComposeFile.Strings(worker, "command"));
        Assert.Equal(ComposeFile.Scalar(_compose.Service("dashboard"), "image"), ComposeFile.Scalar(worker, "image"));
        Assert.Empty(ComposeFile.Strings(worker, "ports"));
    }

    [Fact]
    public void PublishedHostPorts_AreDistinct_AndIncludeTheStackEndpoints()
    {
        var hostPorts = _compose.ServiceNames.SelectMany(n => ComposeFile.Strings(_compose.Service(n), "ports")).Select(p => p.Split(':')[0]).ToList();

        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
        Assert.Superset(new HashSet<string> { "5432", "9000", "8080", "8081" }, hostPorts.ToHashSet());
    }

    [Fact]
    public void StackCredentials_MatchWhatTheApplicationIsConfiguredWith()
    {
        var local = LakehouseConfiguration.Load(RepositoryFiles.PathOf("config/local.env"), new Dictionary<string, string>(), RepositoryFiles.Root).Options;
        var postgres = new NpgsqlConnectionStringBuilder(local.PostgresConnectionString);
        var postgresEnv = EnvFile.Read(RepositoryFiles.PathOf("config/postgres.env"), new Dictionary<string, string>()).ToDictionary(e => e.Key, e => e.Value);
        var minioEnv = ComposeFile.Environment(_compose.Service("minio"));

        Assert.Equal((postgresEnv["POSTGRES_USER"], postgresEnv["POSTGRES_PASSWORD"], postgresEnv["POSTGRES_DB"]), (postgres.Username, postgres.Password, postgres.Database));
        Assert.Equal(("postgres", 5432), (postgres.Host, postgres.Port));
        Assert.Equal((minioEnv["MINIO_ROOT_USER"], minioEnv["MINIO_ROOT_PASSWORD"]), (local.S3AccessKey, local.S3SecretKey));
        Assert.Equal("http://minio:9000", local.S3Endpoint);
    }

    [Fact]
    public void BucketInit_CreatesEveryLayersBucket_FromTheSameSettingsAsTheApplication()
    {
        var init = _compose.Service("minio-init");
        var script = RepositoryFiles.Read("docker/minio/create-buckets.sh");

        Assert.Contains("config/local.env", ComposeFile.Strings(init, "env_file"));
        Assert.Contains("./docker/minio/create-buckets.sh:/create-buckets.sh:ro", ComposeFile.Strings(init, "volumes"));
        Assert.Contains("mc mb --ignore-existing", script);
        foreach (var layer in Layers.All) Assert.Contains($"${{TM_BUCKET_{layer.ToUpperInvariant()}:?}}", script);
        var local = LakehouseConfiguration.Load(RepositoryFiles.PathOf("config/local.env"), new Dictionary<string, string>(), RepositoryFiles.Root).Options;
        Assert.Equal(["tm-landing", "tm-bronze", "tm-silver", "tm-gold", "tm-spatial", "tm-quarantine", "tm-observability"], Layers.All.Select(local.BucketFor));
    }

    [Fact]
    public void AppServices_WaitForPostgresAndTheBuckets()
    {
        foreach (var name in new[] { "dashboard", "worker", "trino" })
        {
            var dependsOn = (YamlMappingNode)ComposeFile.Child(_compose.Service(name), "depends_on")!;
            Assert.Equal("service_healthy", ComposeFile.Scalar((YamlMappingNode)ComposeFile.Child(dependsOn, "postgres")!, "condition"));
            Assert.Equal("service_completed_successfully", ComposeFile.Scalar((YamlMappingNode)ComposeFile.Child(dependsOn, "minio-init")!, "condition"));
        }
    }
}

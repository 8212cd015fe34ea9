using Amazon.Runtime;
using Lakehouse.Core.Config;

namespace Lakehouse.Core.Tables.Rest;

/// <summary>Where a REST catalog is and how to sign in to it.</summary>
public sealed record RestCatalogOptions(Uri BaseUri)
{
    /// <summary>The warehouse to ask <c>GET /v1/config</c> for; the server answers with the URL prefix to use.</summary>
    public string? Warehouse { get; init; }
    public CatalogAuthKind Auth { get; init; } = CatalogAuthKind.None;
    public string? Token { get; init; }
    public string SigningService { get; init; } = "glue";
    public string SigningRegion { get; init; } = "us-east-1";
    /// <summary>SigV4 credentials; null for the AWS default chain (environment, profile, task or instance role).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>The REST settings of the options (TM_CATALOG_URI, TM_CATALOG_WAREHOUSE, TM_CATALOG_AUTH, ...).</summary>
    public static RestCatalogOptions From(LakehouseOptions options) =>
        new(new Uri(options.CatalogUri ?? throw new ConfigurationException("TM_CATALOG=rest needs TM_CATALOG_URI.")))
        {
            Warehouse = options.CatalogWarehouse,
            Auth = options.CatalogAuth,
            Token = options.CatalogToken,
            SigningService = options.CatalogSigningService,
            SigningRegion = options.CatalogRegion ?? options.S3Region,
        };
}

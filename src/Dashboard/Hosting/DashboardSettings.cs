namespace TmLakehouse.Dashboard.Hosting;

/// <summary>Where the server listens and the key mutations need (null: no key, loopback only, mutations open).</summary>
public sealed record DashboardSettings(string Host, int Port, string? ApiKey)
{
    public bool KeyRequired => !string.IsNullOrEmpty(ApiKey);
}

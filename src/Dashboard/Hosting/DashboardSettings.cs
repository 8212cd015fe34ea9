namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// Where the server listens, the key mutations and data reads need (null: no key, loopback only, mutations open), and the host
/// names it answers besides loopback ones (TM_ALLOWED_HOSTS).
/// </summary>
public sealed record DashboardSettings(IReadOnlyList<string> Urls, string? ApiKey)
{
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    public bool KeyRequired => !string.IsNullOrEmpty(ApiKey);
}

using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using TmLakehouse.Dashboard.Web;

namespace TmLakehouse.Dashboard.Hosting;

/// <summary>
/// Sign-in attempts per client address: 5 a minute, then 429 with Retry-After. Guessing a key at that pace is hopeless, and a
/// person who mistypes waits a minute at most.
/// </summary>
internal static class LoginRateLimit
{
    public const string Policy = "login";
    public const int Attempts = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static void Configure(RateLimiterOptions options)
    {
        options.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Attempts, Window = Window, QueueLimit = 0 }));
        options.OnRejected = async (rejected, cancellationToken) =>
        {
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
            rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Layout.Error("Too many attempts", $"Too many sign-in attempts from this address: wait {Math.Ceiling(retryAfter.TotalSeconds):0} s and try again.", 429)
                .ExecuteAsync(rejected.HttpContext);
        };
    }
}

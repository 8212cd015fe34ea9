using System.Net;
using System.Text;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TmLakehouse.Orchestrator.Alerts;

/// <summary>
/// Posts JSON to a webhook through a Polly pipeline (a retry with exponential back-off around a per-attempt timeout), so an
/// unreachable or slow receiver costs a bounded time; a 4xx other than 408/429 is the receiver's final answer and is not retried.
/// </summary>
public sealed class WebhookSender(HttpClient http, WebhookSender.Settings settings, TimeProvider clock)
{
    /// <summary>How hard to try: attempts in all, the first back-off (doubling), and each attempt's timeout.</summary>
    public sealed record Settings(int Attempts, TimeSpan Delay, TimeSpan Timeout)
    {
        public static Settings Default { get; } = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    /// <summary>What one delivery came to.</summary>
    public sealed record Outcome(bool Succeeded, int Attempts, int? StatusCode, string? Error);

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = Math.Max(0, settings.Attempts - 1),
            Delay = settings.Delay,
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
        })
        .AddTimeout(settings.Timeout)
        .Build();

    public async Task<Outcome> PostAsync(string url, string json, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            using var response = await _pipeline.ExecuteAsync(async ct =>
            {
                attempts++;
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                return await http.PostAsync(url, content, ct);
            }, cancellationToken);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? new Outcome(true, attempts, code, null) : new Outcome(false, attempts, code, $"HTTP {code} {response.ReasonPhrase}");
        }
        catch (TimeoutRejectedException)
        {
            return new Outcome(false, attempts, null, $"no answer within {settings.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(false, attempts, null, ex.Message);
        }
    }

    /// <summary>The webhook as stored and shown: its origin only, since the path of a webhook URL often is its secret.</summary>
    public static string OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + (uri.AbsolutePath.Length > 1 ? "/…" : "/") : "(invalid URL)";
}

using System.Net;
using System.Text.Json;

namespace Dashboard.Tests.Api;

/// <summary>Reads API answers: RFC 7807 problems and JSON bodies; polls a run until it ends.</summary>
internal static class ApiAssertions
{
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> WaitForEndAsync(HttpClient client, string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = await JsonAsync(await client.GetAsync($"api/runs/{runId}", timeout.Token));
            if (run.GetProperty("status").GetString() is "succeeded" or "failed" or "canceled") return run;
            await Task.Delay(50, timeout.Token);
        }
    }
}

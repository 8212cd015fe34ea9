using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Tests.Alerts;

/// <summary>A webhook receiver on loopback: records every body it is posted, answering each path with the next status queued for it (200 when none is).</summary>
public sealed class LoopbackWebhook : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackWebhook()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";
    public ConcurrentQueue<(string Path, string Body)> Received { get; } = new();
    public ConcurrentDictionary<string, ConcurrentQueue<int>> Answers { get; } = new();

    /// <summary>A loopback port nothing listens on (taken and given back at once): posting there is refused.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var path = context.Request.Url!.AbsolutePath.Trim('/');
            Received.Enqueue((path, await reader.ReadToEndAsync()));
            context.Response.StatusCode = Answers.TryGetValue(path, out var queue) && queue.TryDequeue(out var code) ? code : 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

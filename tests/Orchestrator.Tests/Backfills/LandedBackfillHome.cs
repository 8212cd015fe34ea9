using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Backfills;

/// <summary>
/// One TM_HOME per test class with the sample's two courses landed for three ingest days. Landing is seven `tmlake`
/// processes; done for every test it was most of the backfill CLI tests' time, and no test changes what was landed.
/// </summary>
public sealed class LandedBackfillHome : IDisposable
{
    public static readonly string[] Courses = ["erinhills", "pinehurst4"];
    public static readonly string[] Days = ["2025-06-01", "2025-06-02", "2025-06-03"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private TmlakeHome? _home;

    /// <summary>The landed home, made by <paramref name="create"/> and landed on the first call.</summary>
    public async Task<TmlakeHome> GetAsync(Func<Task<TmlakeHome>> create)
    {
        await _gate.WaitAsync();
        try
        {
            if (_home is not null) return _home;
            var home = await create();
            var data = Path.Combine(home.Path, "incoming");
            await home.OkAsync("sample-data", "--out", data, "--courses", Courses[0], "--courses", Courses[1], "--rounds", "10");
            foreach (var course in Courses)
            {
                var export = Directory.GetFiles(data, $"{course}_*").Order(StringComparer.Ordinal).First();
                foreach (var day in Days) await home.OkAsync("land", export, "--course", course, "--ingest-date", day);
            }
            return _home = home;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _home?.Dispose();
        _gate.Dispose();
    }
}

using Hangfire;
using Hangfire.Common;

namespace TmLakehouse.Orchestrator.Hosting;

/// <summary>
/// The job filters of this process's Hangfire client and server: Hangfire's global defaults less the two that cost the job
/// storage a round trip per job for features the lakehouse does not use. Kept per runtime, not in GlobalJobFilters, so
/// nothing else in the process is changed.
/// </summary>
internal static class HangfireFilters
{
    public static IJobFilterProvider Create()
    {
        var filters = new JobFilterCollection
        {
            // Retries for jobs without their own policy (a step's job has Attempts = 0: retries follow the asset's policy).
            new AutomaticRetryAttribute(),
            // The dashboard's succeeded/failed history graphs.
            new StatisticsHistoryAttribute(),
        };
        // Left out: CaptureCultureAttribute writes two parameters per job and reads them back when it runs (every process
        // runs with InvariantGlobalization: there is no culture to carry), and ContinuationsSupportAttribute reads a
        // parameter at every job's end (nothing here uses ContinueJobWith).
        return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
    }
}

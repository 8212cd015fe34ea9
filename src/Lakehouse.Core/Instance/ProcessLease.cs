namespace Lakehouse.Core.Instance;

/// <summary>
/// A process that holds runs in its own memory, as the instance store knows it: which host and pid, when that process
/// started (a reused pid is another process) and when it last said it is alive.
/// </summary>
public sealed record ProcessLease(string ProcessId, string Host, int Pid, DateTimeOffset ProcessStartedAt, DateTimeOffset HeartbeatAt);

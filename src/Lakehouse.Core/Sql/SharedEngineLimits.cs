namespace Lakehouse.Core.Sql;

/// <summary>
/// What the engines of the process's shared DuckDB database may use together: <see cref="MemoryMegabytes"/> of buffer pool
/// (DuckDB spills aggregates and joins to disk past it), <see cref="Threads"/> threads (0: one per core), and how many engines
/// hold the database at once: at most <see cref="Holders"/>, and a second or later one only while the data files all of them
/// read add up to at most <see cref="JoinInputMegabytes"/>. An engine alone is always let in; the others wait their turn.
/// </summary>
public sealed record SharedEngineLimits(int MemoryMegabytes, int Threads, int Holders, int JoinInputMegabytes);

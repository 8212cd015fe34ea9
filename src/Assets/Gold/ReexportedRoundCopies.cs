using System.Runtime.InteropServices;

namespace TmLakehouse.Assets.Gold;

/// <summary>
/// The copies of re-exported rounds (rounds that landed in more than one ingest) seen in one pass: per (round_id, location_index)
/// only the copy <see cref="FixPreference"/> keeps, and per round the round-level fields of its latest ingest.
/// </summary>
internal sealed class ReexportedRoundCopies
{
    private struct Slot
    {
        public bool Taken;
        public int Day;
        public TelemetryFix Fix;
    }

    private sealed class Round
    {
        public Slot[] Slots = [];
        public int LatestDay = int.MinValue;
        public int? StartHole;
        public bool? IsNineHole, IsComplete;
    }

    private readonly Dictionary<string, Round> _rounds = new(StringComparer.Ordinal);

    /// <summary>Copies offered that lost to another copy of the same fix.</summary>
    public long Resolved { get; private set; }

    public void Offer(string roundId, int ingestDay, in TelemetryFix fix)
    {
        if (fix.LocationIndex is not { } index || index < 0)
            throw new InvalidDataException($"Silver row of round {roundId} has location_index {fix.LocationIndex?.ToString() ?? "null"}; it must be 0 or more.");
        ref var round = ref CollectionsMarshal.GetValueRefOrAddDefault(_rounds, roundId, out _);
        round ??= new Round();
        // Round-level fields repeat on every fix; the latest export of a round describes it (partial on day 1, complete on day 2).
        if (ingestDay > round.LatestDay)
        {
            round.LatestDay = ingestDay;
            (round.StartHole, round.IsNineHole, round.IsComplete) = (fix.StartHole, fix.IsNineHole, fix.IsComplete);
        }
        else if (ingestDay == round.LatestDay)
        {
            round.StartHole ??= fix.StartHole;
            round.IsNineHole ??= fix.IsNineHole;
            round.IsComplete ??= fix.IsComplete;
        }

        if (index >= round.Slots.Length) Array.Resize(ref round.Slots, Math.Max(index + 1, Math.Min(round.Slots.Length * 2, 4096)));
        ref var slot = ref round.Slots[index];
        if (!slot.Taken)
        {
            slot = new Slot { Taken = true, Day = ingestDay, Fix = fix };
            return;
        }
        Resolved++;
        if (FixPreference.Beats(fix, ingestDay, slot.Fix, slot.Day)) slot = slot with { Day = ingestDay, Fix = fix };
    }

    /// <summary>Each kept copy once, rounds in id order and fixes in location order, carrying their round's latest round-level fields.</summary>
    public IEnumerable<(string RoundId, TelemetryFix Fix)> Kept()
    {
        foreach (var (id, round) in _rounds.OrderBy(r => r.Key, StringComparer.Ordinal))
        foreach (var slot in round.Slots)
        {
            if (slot.Taken)
                yield return (id, slot.Fix with { StartHole = round.StartHole, IsNineHole = round.IsNineHole, IsComplete = round.IsComplete });
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lakehouse.Core.Instance;
using TmLakehouse.Orchestrator.Cli;
using TmLakehouse.Orchestrator.Hosting;

namespace TmLakehouse.Orchestrator.Ledger;

/// <summary>`tmlake ledger [--batch ID] [--key K] [--json]` lists ledger rows, newest first; `tmlake ledger show ID` shows one and follows it to its object.</summary>
internal static class LedgerCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var batch = new Option<string?>("--batch") { Description = "Only rows of this landing batch (the manifest's batch_id)." };
        var key = new Option<string?>("--key") { Description = "Only rows whose lake key is this key or starts with it (e.g. course_id=erinhills/)." };
        var layer = new Option<string?>("--layer") { Description = "Only rows of this layer (bronze, silver, gold, ...)." };
        var limit = new Option<int>("--limit") { Description = "How many rows.", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("ledger", "List the ledger: every object the lake stores, with its hash, size, batch and run.") { batch, key, layer, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(limit) < 1) throw new CliUserException($"--limit must be at least 1, not {parse.GetValue(limit)}.");
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var rows = await session.Runtime.Instance.Ledger.QueryAsync(new LedgerQuery
            {
                BatchId = parse.GetValue(batch),
                KeyPrefix = parse.GetValue(key),
                Layer = parse.GetValue(layer),
                Limit = parse.GetValue(limit),
            }, ct);
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => View(session, r)).ToList(), LedgerView.Json));
                return ExitCodes.Success;
            }
            if (rows.Count == 0)
            {
                session.Out.WriteLine("No ledger rows match.");
                return ExitCodes.Success;
            }
            TextTable.Write(session.Out, ["ID", "LAYER", "KEY", "BATCH", "INTENT", "FORMAT", "ROWS", "BYTES", "SHA256", "RUN", "CREATED (UTC)"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    r.Id.ToString(CultureInfo.InvariantCulture), r.Layer, r.Key, r.BatchId ?? "-", r.Intent ?? "-", r.Format,
                    r.RowCount.ToString(CultureInfo.InvariantCulture), r.Size.ToString(CultureInfo.InvariantCulture), r.Sha256[..12], r.RunId,
                    r.LandedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ]));
            return ExitCodes.Success;
        });
        command.Subcommands.Add(Show(environment));
        return command;
    }

    private static Command Show(CliEnvironment environment)
    {
        var id = new Argument<long>("id") { Description = "The ledger id (from `tmlake ledger`, or an object's ledger-id metadata)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "Show one ledger row and check its object links back to it.") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(environment, parse, _ => RuntimeRole.ClientOnly, ct);
            var entry = await session.Runtime.Instance.Ledger.GetAsync(parse.GetValue(id), ct)
                        ?? throw new CliUserException($"No ledger row {parse.GetValue(id)}. List rows with `tmlake ledger`.");
            var view = View(session, entry) with { Object = await LedgerObjectCheck.CheckAsync(session.Runtime.Resources.Objects, entry, ct) };
            var found = await LedgerDocument.FindAsync(session.Runtime.Instance.Ledger, session.Runtime.Resources.Objects, entry, ct);
            if (found is { } document) view = view with { Document = document.Document, DocumentId = document.Row.Id };
            if (parse.GetValue(json))
            {
                session.Out.WriteLine(JsonSerializer.Serialize(view, LedgerView.Json));
                return ExitCodes.Success;
            }
            var o = session.Out;
            o.WriteLine($"Ledger row {view.Id}");
            o.WriteLine($"  object:     {view.Location} ({view.Object switch { LedgerObjectCheck.InPlace => "in place, carries this ledger id", LedgerObjectCheck.Missing => "MISSING", _ => "MISMATCH: its metadata or size differ from this row" }})");
            o.WriteLine($"  target:     {view.Target}");
            o.WriteLine($"  format:     {view.Format}{(view.Crs is null ? "" : ", CRS " + view.Crs)}");
            o.WriteLine($"  size:       {view.Size} bytes, {view.RowCount} row(s)/feature(s)");
            o.WriteLine($"  sha256:     {view.Sha256}");
            if (view.Bbox is { } b) o.WriteLine($"  bbox:       {string.Join(", ", b.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
            o.WriteLine($"  batch:      {view.BatchId ?? "-"} (uploader {view.Uploader ?? "-"}, intent {view.Intent ?? "-"})");
            o.WriteLine($"  run:        {view.RunId}");
            o.WriteLine($"  created:    {view.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
            o.WriteLine($"  metadata:   {entry.Metadata}");
            if (view.Document is { } doc)
            {
                o.WriteLine($"  document:   ledger row {view.DocumentId} (ISO 19115-style)");
                foreach (var line in JsonSerializer.Serialize(doc, LedgerView.Json).Split('\n')) o.WriteLine("    " + line.TrimEnd('\r'));
            }
            return view.Object == LedgerObjectCheck.InPlace ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static LedgerView View(CliSession session, LedgerEntry entry) =>
        LedgerView.Of(entry, session.Runtime.Resources.Objects.For(entry.Layer).LocationOf(entry.Key));
}

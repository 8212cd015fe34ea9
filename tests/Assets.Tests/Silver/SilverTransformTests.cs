using TmLakehouse.Assets.SampleData;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

public sealed class SilverTransformTests : IDisposable
{
    private const string Loc = "startTime,fixCoordinates[0],fixCoordinates[1],isCache,isProjected,batteryPercentage";
    private readonly string _dir = Directory.CreateTempSubdirectory("silver-transform-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Csv(int slots, params string[] lines) =>
        string.Join("\n", [SilverRun.Header("_id,course,startTime", slots, Loc), .. lines]) + "\n";

    [Fact]
    public async Task Counts_EqualANaiveReferenceImplementation_ForEveryCourseOfAGeneratedSample()
    {
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = _dir, RoundsPerCourse = 160, Seed = 7 });
        foreach (var course in SampleDataOptions.AllCourses)
        {
            var files = manifest.Files.Where(f => f.CourseId == course).ToList();
            var run = await SilverRun.RunAsync(files.Select(f => SilverInput.FromFile(f.Path)).ToList(), course);
            var expected = ReferenceSilver.Compute(files.Select(f => f.Path), course);
            var r = run.Result;

            Assert.Equal((expected.RowsIn, expected.Padding, expected.Quarantined, expected.Deduplicated, expected.RowsOut),
                (r.RowsIn, r.RowsPadding, r.RowsQuarantined, r.RowsDeduplicated, r.RowsOut));
            Assert.Equal((expected.TimestampMissing, expected.CourseMismatch, expected.Swapped, expected.DeviceHealth),
                (r.TimestampMissingRows, r.CourseMismatchRows, r.SwappedLatLonRows, r.DeviceHealthRows));
            Assert.Equal(expected.RowsOut, run.Rows.Count);
            Assert.Equal(expected.DeviceHealth, run.Health.Count);
            var keys = run.Rows.Select(row => ((string)row["round_id"]!, (int)row["location_index"]!)).ToHashSet();
            Assert.True(expected.Keys.SetEquals(keys), $"{course}: the written keys differ from the reference's");
            foreach (var row in run.Rows)
                Assert.Equal(expected.Winners[((string)row["round_id"]!, (int)row["location_index"]!)], ((bool?)row["is_cache"], (double?)row["battery_percentage"]));

            // And with what the generator says it wrote.
            Assert.Equal(files.Sum(f => f.LocationRows), r.RowsIn);
            Assert.Equal(files.Sum(f => f.PaddingSlots), r.RowsPadding);
            Assert.Equal(files.Sum(f => f.SwappedFixes), r.SwappedLatLonRows);
            Assert.Equal(files.Sum(f => f.OutOfRangeFixes), r.QuarantineReasons.GetValueOrDefault(SilverTransform.ReasonLongitude));
            Assert.Equal(files.Sum(f => f.MalformedValues), r.MalformedCounts.GetValueOrDefault("battery_percentage"));
            Assert.Null(r.GateFailure);
        }
    }

    [Fact]
    public async Task CsvAndJson_GiveIdenticalSilverRows_ForTheSameRounds()
    {
        var csvDir = Path.Combine(_dir, "csv");
        var jsonDir = Path.Combine(_dir, "json");
        var csv = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = csvDir, Courses = ["pinehurst4"], RoundsPerCourse = 120, JsonCourses = [] });
        var json = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = jsonDir, Courses = ["pinehurst4"], RoundsPerCourse = 120 });
        Assert.All(csv.Files, f => Assert.Equal("csv", f.Format));
        Assert.All(json.Files, f => Assert.Equal("json", f.Format));

        var fromCsv = await SilverRun.RunAsync(csv.Files.Select(f => SilverInput.FromFile(f.Path)).ToList(), "pinehurst4");
        var fromJson = await SilverRun.RunAsync(json.Files.Select(f => SilverInput.FromFile(f.Path)).ToList(), "pinehurst4");

        Assert.True(fromCsv.Rows.Count > 5000);
        Assert.Equal(Flatten(fromCsv.Rows), Flatten(fromJson.Rows));
        Assert.Equal(fromCsv.Result.RowsQuarantined, fromJson.Result.RowsQuarantined);
        Assert.Equal(fromCsv.Result.MalformedCounts, fromJson.Result.MalformedCounts);
        Assert.True(fromCsv.Result.RowsPadding > 0);
        Assert.Equal(0, fromJson.Result.RowsPadding);
    }

    private static List<string> Flatten(IEnumerable<Dictionary<string, object?>> rows) =>
        rows.Select(r => string.Join("|", r.Select(kv => $"{kv.Key}={kv.Value}"))).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Sample_KeepsEveryQuirk_ThroughSilver()
    {
        var manifest = SampleDataGenerator.Generate(new SampleDataOptions { OutputDirectory = _dir, RoundsPerCourse = 200 });
        async Task<SilverRun.Outcome> Course(string id) =>
            await SilverRun.RunAsync(manifest.Files.Where(f => f.CourseId == id).Select(f => SilverInput.FromFile(f.Path)).ToList(), id);

        var bradshaw = await Course("bradshawfarmgc");
        Assert.Contains(bradshaw.Rows, r => (int?)r["nine_number"] == 3);
        Assert.True(bradshaw.Rows.Max(r => (int)r["location_index"]!) >= 80);

        var erin = await Course("erinhills");
        Assert.Contains(erin.Rows, r => (int?)r["start_hole"] is > 1 and not 10);
        Assert.Contains(erin.Rows, r => (bool?)r["is_nine_hole"] == true);
        // erinhills exports a fix date: it wins over round start + seconds, which is a little earlier.
        Assert.Contains(erin.Rows, r => r["fix_timestamp"] is DateTimeOffset fix && fix.Millisecond % 100 != 0);

        var indian = await Course("indiancreek");
        Assert.All(indian.Rows, r => Assert.Null(r["pace_gap"]));
        Assert.All(indian.Rows, r => Assert.Null(r["positional_gap"]));
        Assert.Contains(indian.Health, h => ((string)h["log_json"]!).Contains(", ") && ((string)h["log_json"]!).Contains("\\\"fix\\\""));
        Assert.Contains(indian.Health, h => ((string)h["log_json"]!).Contains('\n'));
        Assert.All(indian.Health, h => Assert.InRange((int)h["entry_count"]!, 1, 4));
        Assert.True(indian.Result.SwappedLatLonRows > 0);

        var falls = await Course("americanfalls");
        Assert.True(falls.Rows.Count(r => (double?)r["battery_percentage"] < 20) > falls.Rows.Count / 5);

        Assert.True(new[] { bradshaw, erin, indian, falls }.Sum(r => r.Result.CourseMismatchRows) > 0);
        foreach (var run in new[] { bradshaw, erin, indian, falls })
        {
            Assert.True(run.Result.RowsDeduplicated > 0);
            Assert.InRange(run.Result.QuarantineRate, 0.001, 0.05);
            Assert.InRange(run.Result.TimestampRate, 0.95, 0.999);
            Assert.Null(run.Result.GateFailure);
        }
    }

    [Fact]
    public async Task Padding_IsCountedAndNeverARow()
    {
        var run = await SilverRun.CsvAsync("c",
            Csv(3,
                "r1,c,2025-05-01T10:00:00.000Z,0,-88.1,43.1,false,false,80,10,-88.2,43.2,false,false,79,,,,,,",
                "r2,c,2025-05-01T11:00:00.000Z,0,-88.1,43.1,false,false,80,,,,,,,,,,,,"));
        Assert.Equal((3L, 3L, 3), (run.Result.RowsIn, run.Result.RowsPadding, run.Rows.Count));
    }

    [Fact]
    public async Task MissingAndMalformedValues_BecomeNull_AndMalformedOnesAreCountedPerColumn()
    {
        var run = await SilverRun.CsvAsync("c",
            Csv(2,
                "r1,c,2025-05-01T10:00:00.000Z,0,-88.1,43.1,maybe,false,abc,,-88.2,43.2,,,",
                "r2,c,not-a-date,5,-88.1,43.1,false,x,80,,,,,,"));
        var rows = run.Rows.ToDictionary(r => ((string)r["round_id"]!, (int)r["location_index"]!));
        Assert.Null(rows[("r1", 0)]["is_cache"]);
        Assert.Null(rows[("r1", 0)]["battery_percentage"]);
        Assert.Null(rows[("r1", 1)]["fix_timestamp"]); // its startTime is missing: null, not an error
        Assert.Null(rows[("r2", 0)]["round_start_time"]);
        Assert.Null(rows[("r2", 0)]["is_projected"]);
        Assert.Equal(1, run.Result.RowsPadding);
        Assert.Equal(new Dictionary<string, long> { ["is_cache"] = 1, ["battery_percentage"] = 1, ["round_start_time"] = 1, ["is_projected"] = 1 },
            run.Result.MalformedCounts);
        Assert.Equal(2, run.Result.NullCounts["fix_timestamp"]);
        Assert.Equal(2, run.Result.TimestampMissingRows);
    }

    [Fact]
    public async Task FixTimestamp_PrefersTheFixDate_ElseRoundStartPlusSeconds_AndDerivesDateAndNine()
    {
        var header = SilverRun.Header("_id,course,startTime", 2, "startTime,date,sectionNumber,fixCoordinates[0],fixCoordinates[1]");
        var run = await SilverRun.CsvAsync("c", header + "\nr1,c,2025-05-31T23:59:00.000Z,90.5,,27,-88,43,100,2025-06-02T08:00:00.250Z,55,-88,43\n");
        var byIndex = run.Rows.ToDictionary(r => (int)r["location_index"]!);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 0, 0, 30, 500, TimeSpan.Zero), byIndex[0]["fix_timestamp"]);
        Assert.Equal(new DateOnly(2025, 6, 1), byIndex[0]["event_date"]);
        Assert.Equal((2025, 6), ((int)byIndex[0]["event_year"]!, (int)byIndex[0]["event_month"]!));
        Assert.Equal(1, byIndex[0]["nine_number"]);
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 8, 0, 0, 250, TimeSpan.Zero), byIndex[1]["fix_timestamp"]);
        Assert.Equal(3, byIndex[1]["nine_number"]);
        Assert.Equal(false, byIndex[1]["is_timestamp_missing"]);
        Assert.Equal(SilverRun.IngestDate, byIndex[1]["ingest_date"]);
        Assert.Equal("c", byIndex[1]["course_id"]);
    }

    [Fact]
    public async Task Dedup_PrefersCacheThenNotProjectedThenHigherBattery_AcrossFiles()
    {
        var first = Csv(1,
            "a,c,2025-05-01T10:00:00.000Z,0,-88,43,false,false,99",
            "b,c,2025-05-01T10:00:00.000Z,0,-88,43,false,true,99",
            "d,c,2025-05-01T10:00:00.000Z,0,-88,43,true,false,10");
        var second = Csv(1,
            "a,c,2025-05-01T10:00:00.000Z,0,-88,43,true,true,1",
            "b,c,2025-05-01T10:00:00.000Z,0,-88,43,false,false,5",
            "d,c,2025-05-01T10:00:00.000Z,0,-88,43,true,false,50",
            "d,c,2025-05-01T10:00:00.000Z,0,-88,43,true,false,20");
        var run = await SilverRun.CsvAsync("c", first, second);
        var rows = run.Rows.ToDictionary(r => (string)r["round_id"]!);
        Assert.Equal(3, rows.Count);
        Assert.Equal((true, 1.0), ((bool)rows["a"]["is_cache"]!, (double)rows["a"]["battery_percentage"]!));
        Assert.Equal((false, 5.0), ((bool)rows["b"]["is_projected"]!, (double)rows["b"]["battery_percentage"]!));
        Assert.Equal(50.0, rows["d"]["battery_percentage"]);
        Assert.Equal(4, run.Result.RowsDeduplicated);
        Assert.Equal(4.0 / 7, run.Result.DuplicateRate, 6);
    }

    [Fact]
    public async Task Quarantine_SetsAsideOutOfRangeAndNullIdRows_WithReasonsAndTheRowsThemselves()
    {
        var lines = Enumerable.Range(0, 60).Select(i => $"ok{i},c,2025-05-01T10:00:00.000Z,0,-88,43,false,false,50").ToList();
        lines.Add("far,c,2025-05-01T10:00:00.000Z,0,272,43,false,false,50");
        lines.Add("swap,c,2025-05-01T10:00:00.000Z,0,42.7,-112.8,false,false,50");
        lines.Add(",c,2025-05-01T10:00:00.000Z,0,-88,43,false,false,50");
        var run = await SilverRun.CsvAsync("c", Csv(1, [.. lines]));
        Assert.Equal(60, run.Rows.Count);
        Assert.Equal(3, run.Result.RowsQuarantined);
        Assert.Equal(new Dictionary<string, long>
        {
            [SilverTransform.ReasonLongitude] = 1, [SilverTransform.ReasonSwapped] = 1, [SilverTransform.ReasonNullRoundId] = 1,
        }, run.Result.QuarantineReasons);
        Assert.Equal(1, run.Result.SwappedLatLonRows);
        var rejected = run.Result.QuarantinedRows.SelectMany(ArrowRows.Of).ToList();
        Assert.Equal(["far", "swap", null], rejected.Select(r => (string?)r["round_id"]));
        Assert.Equal(SilverArrowSchemas.Quarantine.FieldsList.Select(f => f.Name), run.Result.QuarantinedRows[0].Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(3, run.Result.QuarantineSamples.Count);
        Assert.Equal(62, run.Result.QuarantineSamples[0]["line"].GetInt64()); // the header is line 1, "far" the 61st round
        Assert.Null(run.Result.GateFailure);
    }

    [Fact]
    public async Task Dedup_ComesBeforeQuarantine_SoAFixExportedTwiceIsQuarantinedOnce()
    {
        const string t = "2025-05-01T10:00:00.000Z";
        var ok = Enumerable.Range(0, 100).Select(i => $"ok{i},c,{t},0,-88,43,false,false,50").ToList();
        var day1 = Csv(1, [.. ok,
            $"far,c,{t},0,272,43,false,false,50",
            $"swap,c,{t},0,42.7,-112.8,false,false,50",
            $",c,{t},0,-88,43,false,false,50",
            $"mixed,c,{t},0,-88,95,false,false,50"]);
        // The next day's export sends the same fixes again; the cached copy wins the dedup.
        var day2 = Csv(1,
            $"far,c,{t},0,272,43,false,false,50",
            $"swap,c,{t},0,42.7,-112.8,true,false,50",
            $",c,{t},0,-88,43,false,false,50",
            $"mixed,c,{t},0,-88,43.5,true,false,50");
        var run = await SilverRun.CsvAsync("c", day1, day2);
        var r = run.Result;

        // far and swap once each; a row without a round id has no key, so each of those is its own row.
        Assert.Equal(new Dictionary<string, long>
        {
            [SilverTransform.ReasonLongitude] = 1, [SilverTransform.ReasonSwapped] = 1, [SilverTransform.ReasonNullRoundId] = 2,
        }, r.QuarantineReasons);
        Assert.Equal(4, r.RowsQuarantined);
        Assert.Equal(1, r.SwappedLatLonRows);
        Assert.Equal([null, null, "far", "swap"], run.Result.QuarantinedRows.SelectMany(ArrowRows.Of).Select(x => (string?)x["round_id"]).Order());
        // mixed: its winning copy is on the globe, so it is written and its out-of-range loser is only a duplicate.
        Assert.Equal(43.5, run.Rows.Single(x => (string)x["round_id"]! == "mixed")["latitude"]);
        Assert.Equal(3, r.RowsDeduplicated);
        Assert.Equal(101, r.RowsOut);
        Assert.Equal(r.RowsIn, r.RowsOut + r.RowsQuarantined + r.RowsDeduplicated);
        Assert.Equal(4.0 / (108 - 3), r.QuarantineRate, 6);
        Assert.Equal(r.RowsOut, r.UniqueKeys);
        var expected = ReferenceSilver.Compute(WriteAll(("c_rounds_0.csv", day1), ("c_rounds_1.csv", day2)), "c");
        Assert.Equal((expected.Quarantined, expected.Deduplicated, expected.RowsOut, expected.Swapped),
            (r.RowsQuarantined, r.RowsDeduplicated, r.RowsOut, r.SwappedLatLonRows));
    }

    [Fact]
    public async Task AcceptedSpellings_SpacesAroundNumbers_AndBooleansInAnyCaseOrOneZero_AreValues()
    {
        var header = SilverRun.Header("_id,course,startTime,startHole,isNineHole", 1,
            "startTime,hole,fixCoordinates[0],fixCoordinates[1],isCache,isProjected,isProblem,batteryPercentage,pace");
        var run = await SilverRun.CsvAsync("c", header + "\n" +
            "a,c,2025-05-01T10:00:00.000Z, 10 ,TRUE, 1.5 , 7 , -88.5 ,43.5 ,TRUE,0,1, 80 ,-12.5\n" +
            "b,c,2025-05-01T10:00:00.000Z,1,False,2,3,-88,43,tRuE,FALSE,false,  9.5,1e1\n" +
            "d,c,2025-05-01T10:00:00.000Z,1,yes,2,3,-88,43,2,t,1.0,8 0,--1\n");
        var rows = run.Rows.ToDictionary(x => (string)x["round_id"]!);
        var a = rows["a"];
        Assert.Equal((10, true, 7, -88.5, 43.5), ((int)a["start_hole"]!, (bool)a["is_nine_hole"]!, (int)a["hole_number"]!, (double)a["longitude"]!, (double)a["latitude"]!));
        Assert.Equal((true, false, true, 80.0, -12.5), ((bool)a["is_cache"]!, (bool)a["is_projected"]!, (bool)a["is_problem"]!, (double)a["battery_percentage"]!, (double)a["pace"]!));
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 1, 500, TimeSpan.Zero), a["fix_timestamp"]);
        var b = rows["b"];
        Assert.Equal((false, true, false, false, 9.5, 10.0), ((bool)b["is_nine_hole"]!, (bool)b["is_cache"]!, (bool)b["is_projected"]!, (bool)b["is_problem"]!,
            (double)b["battery_percentage"]!, (double)b["pace"]!));
        // Anything else is malformed: null and counted.
        var d = rows["d"];
        Assert.All(new[] { "is_nine_hole", "is_cache", "is_projected", "is_problem", "battery_percentage", "pace" }, c => Assert.Null(d[c]));
        Assert.Equal(new Dictionary<string, long>
        {
            ["is_nine_hole"] = 1, ["is_cache"] = 1, ["is_projected"] = 1, ["is_problem"] = 1, ["battery_percentage"] = 1, ["pace"] = 1,
        }, run.Result.MalformedCounts);
    }

    [Fact]
    public async Task AcceptedSpellings_InJsonStrings_AreTheSameAsInCsv()
    {
        const string json = """
            [{"_id":"a","course":"c","startTime":"2025-05-01T10:00:00.000Z","startHole":" 10 ","isNineHole":"TRUE",
              "locations":[{"startTime":" 1.5 ","hole":" 7 ","fixCoordinates":[" -88.5 ","43.5 "],"isCache":"1","isProjected":0,
                            "isProblem":"False","batteryPercentage":" 80 "},
                           {"startTime":2,"fixCoordinates":[-88,43],"isCache":"yes","isProjected":2,"batteryPercentage":"8 0"}]}]
            """;
        var run = await SilverRun.RunAsync([SilverRun.Text("r.json", json)], "c");
        var rows = run.Rows.ToDictionary(x => (int)x["location_index"]!);
        Assert.Equal((10, true, 7, -88.5, 43.5), ((int)rows[0]["start_hole"]!, (bool)rows[0]["is_nine_hole"]!, (int)rows[0]["hole_number"]!,
            (double)rows[0]["longitude"]!, (double)rows[0]["latitude"]!));
        Assert.Equal((true, false, false, 80.0), ((bool)rows[0]["is_cache"]!, (bool)rows[0]["is_projected"]!, (bool)rows[0]["is_problem"]!, (double)rows[0]["battery_percentage"]!));
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 1, 500, TimeSpan.Zero), rows[0]["fix_timestamp"]);
        Assert.Equal(new Dictionary<string, long> { ["is_cache"] = 1, ["is_projected"] = 1, ["battery_percentage"] = 1 }, run.Result.MalformedCounts);
    }

    private List<string> WriteAll(params (string Name, string Content)[] files) =>
        files.Select(f =>
        {
            var path = Path.Combine(_dir, f.Name);
            File.WriteAllText(path, f.Content);
            return path;
        }).ToList();

    [Fact]
    public async Task CourseMismatch_IsCountedOnWrittenRows()
    {
        var run = await SilverRun.CsvAsync("erinhills", Csv(2,
            "a,erinhills,2025-05-01T10:00:00.000Z,0,-88,43,false,false,50,1,-88,43,false,false,50",
            "b,erinhills_legacy,2025-05-01T10:00:00.000Z,0,-88,43,false,false,50,1,-88,43,false,false,50",
            "e,,2025-05-01T10:00:00.000Z,0,-88,43,false,false,50,,,,,,"));
        Assert.Equal(2, run.Result.CourseMismatchRows);
        Assert.All(run.Rows, r => Assert.Equal("erinhills", r["course_id"]));
    }

    [Theory]
    [InlineData("min_timestamp_rate")]
    [InlineData("max_quarantine_rate")]
    [InlineData("max_duplicate_rate")]
    public async Task Gate_Fails_WithTheGateAndItsNumbers(string gate)
    {
        var lines = Enumerable.Range(0, 10).Select(i => $"r{i},c,2025-05-01T10:00:00.000Z,{i},-88,43,false,false,50").ToList();
        switch (gate)
        {
            case "min_timestamp_rate": lines[0] = "r0,c,2025-05-01T10:00:00.000Z,,-88,43,false,false,50"; break;
            case "max_quarantine_rate": lines[0] = "r0,c,2025-05-01T10:00:00.000Z,0,-88,95,false,false,50"; break;
            case "max_duplicate_rate": lines.AddRange(lines.Take(3).ToList()); break;
        }
        var run = await SilverRun.RunAsync([SilverRun.Text("g.csv", Csv(1, [.. lines]))], "c");
        var failure = run.Result.GateFailure;
        Assert.NotNull(failure);
        Assert.Equal(gate, failure.Gate);
        var (actual, message) = gate switch
        {
            "min_timestamp_rate" => (0.9, "fix_timestamp non-null rate 90.00% (9 of 10 rows) is below the 95.00% gate."),
            "max_quarantine_rate" => (0.1, "quarantined-row rate 10.00% (1 of 10 rows after dedup) is above the 5.00% gate."),
            _ => (3.0 / 13, "duplicate-row rate 23.08% (3 of 13 rows) is above the 20.00% gate."),
        };
        Assert.Equal(actual, failure.Actual, 6);
        Assert.Equal(message, failure.Message);

        var relaxed = await SilverRun.RunAsync([SilverRun.Text("g.csv", Csv(1, [.. lines]))], "c", new SilverGates(0.5, 0.5, 0.5));
        Assert.Null(relaxed.Result.GateFailure);
    }

    [Fact]
    public async Task QuotedFields_WithCommasQuotesAndNewlines_AndUnknownColumnsInAnyOrder_AreRead()
    {
        const string csv = "locations[0].fixCoordinates[1],notes,captureLogs,_id,locations[0].startTime,device,locations[0].fixCoordinates[0],startTime\n" +
                           "43.5,\"a, b\",\"[{\"\"msg\"\":\"\"low, 5%\"\"},\n{\"\"msg\"\":\"\"x\"\"}]\",r1,1.5,\"dev \"\"7\"\"\",-88.5,2025-05-01T10:00:00Z\n";
        var run = await SilverRun.RunAsync([SilverRun.Text("q.csv", csv)], "c");
        var row = Assert.Single(run.Rows);
        Assert.Equal(("r1", "dev \"7\"", 43.5, -88.5), ((string)row["round_id"]!, (string)row["device"]!, (double)row["latitude"]!, (double)row["longitude"]!));
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 1, 500, TimeSpan.Zero), row["fix_timestamp"]);
        var health = Assert.Single(run.Health);
        Assert.Equal("[{\"msg\":\"low, 5%\"},\n{\"msg\":\"x\"}]", health["log_json"]);
        Assert.Equal(2, health["entry_count"]);
    }

    [Fact]
    public async Task Geometry_IsALittleEndianWkbPoint_AndBatchesMatchTheTableSchema()
    {
        var run = await SilverRun.CsvAsync("c", Csv(1, "r1,c,2025-05-01T10:00:00.000Z,0,-88.25,43.5,false,false,50"));
        var wkb = Convert.FromHexString((string)Assert.Single(run.Rows)["geometry"]!);
        Assert.Equal(21, wkb.Length);
        Assert.Equal(1, wkb[0]);
        Assert.Equal(1u, BitConverter.ToUInt32(wkb, 1));
        Assert.Equal((-88.25, 43.5), (BitConverter.ToDouble(wkb, 5), BitConverter.ToDouble(wkb, 13)));
        Assert.Equal(Lakehouse.Core.Tables.TableType.TimestampTz, TmLakehouse.Assets.Silver.SilverTables.TelemetryEvent.Schema["fix_timestamp"].Type);
        var ts = (Apache.Arrow.Types.TimestampType)SilverArrowSchemas.TelemetryEvent.GetFieldByName("fix_timestamp").DataType;
        Assert.Equal((Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"), (ts.Unit, ts.Timezone));
        Assert.IsType<Apache.Arrow.Types.Date32Type>(SilverArrowSchemas.TelemetryEvent.GetFieldByName("event_date").DataType);
        Assert.Equal(SilverTables.TelemetryEvent.Schema.Fields.Select(f => (f.Name, !f.Required)),
            SilverArrowSchemas.TelemetryEvent.FieldsList.Select(f => (f.Name, f.IsNullable)));
    }

    [Fact]
    public async Task LargeInputs_AreWrittenInBatchesOfAtMostBatchRows()
    {
        var lines = Enumerable.Range(0, 70_000).Select(i => $"r{i},c,2025-05-01T10:00:00.000Z,0,-88,43,false,false,50");
        var telemetry = new CollectingTable(SilverTables.TelemetryEvent);
        var health = new CollectingTable(SilverTables.DeviceHealth);
        await using var tw = telemetry.NewAppend();
        await using var hw = health.NewAppend();
        var result = await SilverTransform.RunAsync([SilverRun.Text("big.csv", Csv(1, [.. lines]))], "c", SilverRun.IngestDate, tw, hw, new SilverGates(), SilverRun.Staging, default);
        await tw.CommitAsync(default);
        var full = 70_000 / SilverTransform.BatchRows;
        Assert.Equal([.. Enumerable.Repeat(SilverTransform.BatchRows, full), 70_000 - full * SilverTransform.BatchRows],
            telemetry.Batches.Select(b => b.Length));
        Assert.Equal(70_000, result.RowsOut);
    }

    [Fact]
    public async Task Json_ReadsMongoExtendedValues_AndTreatsEmptyLocationsAsPadding()
    {
        const string json = """
            [{"_id":{"$oid":"665f00000000000000000001"},"course":"c","startTime":{"$date":{"$numberLong":"1746093600000"}},
              "goalTime":{"$numberInt":"15300"},"isNineHole":false,"captureLogs":[{"msg":"a, \"b\""},{"msg":"c"}],
              "locations":[{"startTime":1.5,"fixCoordinates":[-88.5,43.5],"batteryPercentage":"n/a","isCache":true},{},
                           {"startTime":3,"fixCoordinates":[-88.6,43.6],"date":{"$date":"2025-05-01T10:00:05.125Z"},"sectionNumber":30}]},
             {"_id":"plain-id","course":"c","locations":[{"fixCoordinates":[-88,43]}]}]
            """;
        var run = await SilverRun.RunAsync([SilverRun.Text("r.json", json)], "c");
        var rows = run.Rows.ToDictionary(r => ((string)r["round_id"]!, (int)r["location_index"]!));
        Assert.Equal(3, rows.Count);
        Assert.Equal(1, run.Result.RowsPadding);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 1, 500, TimeSpan.Zero), rows[("665f00000000000000000001", 0)]["fix_timestamp"]);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 5, 125, TimeSpan.Zero), rows[("665f00000000000000000001", 2)]["fix_timestamp"]);
        Assert.Equal(2, rows[("665f00000000000000000001", 2)]["nine_number"]);
        Assert.Equal(15300.0, rows[("665f00000000000000000001", 0)]["goal_time"]);
        Assert.Null(rows[("665f00000000000000000001", 0)]["battery_percentage"]);
        Assert.Equal(1, run.Result.MalformedCounts["battery_percentage"]);
        Assert.Null(rows[("plain-id", 0)]["fix_timestamp"]);
        var health = Assert.Single(run.Health);
        Assert.Equal(("""[{"msg":"a, \"b\""},{"msg":"c"}]""", 2), ((string)health["log_json"]!, (int)health["entry_count"]!));
    }
}

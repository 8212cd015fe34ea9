using System.Text;
using TmLakehouse.Assets.Silver;

namespace Assets.Tests.Silver;

public sealed class SilverBadInputTests
{
    private const string Header = "_id,device,startTime,locations[0].startTime,locations[0].pace,locations[0].fixCoordinates[0],locations[0].fixCoordinates[1]";
    private const string Row2 = "r1,d1,2025-05-01T10:00:00.000Z,0,12.5,-88.1,43.1";

    private static async Task<SilverInputException> RejectAsync(string name, byte[] content) =>
        await Assert.ThrowsAsync<SilverInputException>(() => SilverRun.RunAsync([SilverRun.Bytes(name, content)], "erinhills"));

    private static Task<SilverInputException> RejectAsync(string name, string content) => RejectAsync(name, Encoding.UTF8.GetBytes(content));

    [Fact]
    public async Task EmptyFile_IsRejected_NamingTheFile()
    {
        var e = await RejectAsync("erinhills_rounds.csv", "");
        Assert.Equal("erinhills_rounds.csv: the file is empty: expected a header row (CSV) or an array of rounds (JSON).", e.Message);
    }

    [Fact]
    public async Task HeaderOnly_IsRejected_AtLine2()
    {
        var e = await RejectAsync("erinhills_rounds.csv", Header + "\n");
        Assert.Equal("erinhills_rounds.csv line 2: the file has a header but no data rows.", e.Message);
    }

    [Fact]
    public async Task UnbalancedQuote_IsRejected_NamingLineAndColumn()
    {
        var e = await RejectAsync("erinhills_rounds.csv", $"{Header}\n{Row2}\nr2,d2,2025-05-01T10:00:00.000Z,1,\"12.5,-88.1,43.1\nr3,d3,2025-05-01T10:00:00.000Z,1,1,-88.1,43.1\n");
        Assert.Equal("erinhills_rounds.csv line 3, column 'locations[0].pace': unbalanced quote: a quoted field is never closed.", e.Message);
        Assert.Equal((3L, "locations[0].pace"), (e.Line!.Value, e.Column));
    }

    [Fact]
    public async Task StrayQuote_IsRejected_NamingLineAndColumn()
    {
        var e = await RejectAsync("erinhills_rounds.csv", $"{Header}\n{Row2}\n{Row2}\nr2,d\"2,2025-05-01T10:00:00.000Z,1,1,-88.1,43.1\n");
        Assert.StartsWith("erinhills_rounds.csv line 4, column 'device': ", e.Message);
        Assert.Contains("quote", e.Message);
    }

    [Fact]
    public async Task RowWithMoreCellsThanTheHeader_IsRejected()
    {
        var e = await RejectAsync("erinhills_rounds.csv", $"{Header}\n{Row2}\n{Row2},extra\n");
        Assert.Equal("erinhills_rounds.csv line 3, column '#8 (beyond the header)': the row has 8 cells but the header has 7 columns.", e.Message);
    }

    [Fact]
    public async Task BinaryJunk_IsRejected_AsNotText()
    {
        var junk = new byte[4096];
        new Random(5).NextBytes(junk);
        var e = await RejectAsync("erinhills_rounds.csv", junk);
        Assert.StartsWith("erinhills_rounds.csv line ", e.Message);
        Assert.Contains("binary data, not a text export", e.Message);
    }

    [Fact]
    public async Task NonUtf8Bytes_AreRejected_NamingLineAndColumn()
    {
        var latin1 = Encoding.Latin1.GetBytes($"{Header}\n{Row2}\nr2,Caf\u00e9,2025-05-01T10:00:00.000Z,0,12.5,-88.1,43.1\n");
        var e = await RejectAsync("erinhills_rounds.csv", latin1);
        Assert.Equal("erinhills_rounds.csv line 3, column 'device': the value is not UTF-8 text (non-UTF-8 bytes).", e.Message);
    }

    [Fact]
    public async Task HeaderWithoutId_IsRejected()
    {
        var e = await RejectAsync("erinhills_rounds.csv", Header.Replace("_id", "roundId") + "\n" + Row2 + "\n");
        Assert.Equal("erinhills_rounds.csv line 1, column '_id': the header has no '_id' column, so rounds cannot be identified.", e.Message);
    }

    [Fact]
    public async Task HeaderWithoutFirstLocationStartTime_IsRejected()
    {
        var e = await RejectAsync("erinhills_rounds.csv", Header.Replace("locations[0].startTime", "locations[0].begin") + "\n" + Row2 + "\n");
        Assert.Equal("erinhills_rounds.csv line 1, column 'locations[0].startTime': the header has no 'locations[0].startTime' column: this is not a round export.", e.Message);
    }

    [Fact]
    public async Task TruncatedJson_IsRejected_NamingTheLine()
    {
        var e = await RejectAsync("pinehurst4_rounds.json", "[{\"_id\":{\"$oid\":\"a\"},\"locations\":[{\"startTime\":1}]},\n{\"_id\":{\"$oid\":\"b\"},\"locations\":[{\"startTime\":");
        Assert.Equal("pinehurst4_rounds.json line 2, column '$[1]': Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.", e.Message);
    }

    [Fact]
    public async Task JsonThatIsNotAnArrayOfRounds_IsRejected()
    {
        var e = await RejectAsync("pinehurst4_rounds.json", "{\"_id\":\"a\"}");
        Assert.Contains("not an array of rounds", e.Message);
    }

    [Fact]
    public async Task JsonStringThatIsNotUtf8_IsRejected_NamingTheLineAndRound()
    {
        var content = Encoding.UTF8.GetBytes("[{\"_id\":\"a\",\"locations\":[]},\n{\"_id\":\"b\",\"device\":\"TM-X\",\"locations\":[]}]");
        content[Array.IndexOf(content, (byte)'X')] = 0xFF;
        var e = await RejectAsync("pinehurst4_rounds.json", content);
        Assert.Equal("pinehurst4_rounds.json line 2, column '$[1]': a string is not UTF-8 text (non-UTF-8 bytes).", e.Message);
    }

    [Fact]
    public async Task JsonRoundThatIsNotAnObject_IsRejected_NamingTheRound()
    {
        var e = await RejectAsync("pinehurst4_rounds.json", "[{\"_id\":\"a\",\"locations\":[]}, 42]");
        Assert.Equal("pinehurst4_rounds.json line 1, column '$[1]': round 2 is a JSON Number, not an object.", e.Message);
    }

    [Fact]
    public async Task JsonWithTextAfterTheArray_IsRejected_NamingTheLine()
    {
        var e = await RejectAsync("pinehurst4_rounds.json", "[{\"_id\":\"a\",\"locations\":[]}]\n\nx");
        Assert.StartsWith("pinehurst4_rounds.json line 3, column '$[1]': 'x' is invalid after a single JSON value.", e.Message);
    }

    [Fact]
    public async Task JsonRoundLargerThanTheReadBuffer_IsReadWhole()
    {
        // The reader starts with a 64 KB buffer and grows it for a round that does not fit.
        var locations = string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{{\"startTime\":{i},\"fixCoordinates\":[-88.1,43.1],\"batteryPercentage\":50}}"));
        var run = await SilverRun.RunAsync([SilverRun.Text("r.json", $"[{{\"_id\":\"big\",\"startTime\":\"2025-05-01T10:00:00.000Z\",\"locations\":[{locations}]}},{{\"_id\":\"small\",\"locations\":[{{\"startTime\":1}}]}}]")], "erinhills");
        Assert.Equal(2001, run.Result.RowsIn);
        Assert.Equal(2000, run.Rows.Count(r => (string)r["round_id"]! == "big"));
    }

    [Fact]
    public async Task BomAndCrlf_AreAccepted_AndParseIdentically()
    {
        var plain = $"{Header}\n{Row2}\nr2,\"multi\nline\",2025-05-01T10:00:00.000Z,5,1,-88.2,43.2\n";
        var windows = "\uFEFF" + plain.Replace("\n", "\r\n");
        var a = await SilverRun.RunAsync([SilverRun.Text("a.csv", plain)], "erinhills");
        var b = await SilverRun.RunAsync([SilverRun.Bytes("b.csv", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(windows[1..])).ToArray())], "erinhills");
        Assert.Equal(2, a.Rows.Count);
        Assert.Equal("multi\nline", a.Rows[1]["device"]);
        Assert.Equal("multi\r\nline", b.Rows[1]["device"]); // a line break inside quotes is data, kept as written
        Assert.Equal(a.Rows.Select(r => r.Where(kv => kv.Key != "device")), b.Rows.Select(r => r.Where(kv => kv.Key != "device")));
        Assert.Equal(a.Rows[0]["device"], b.Rows[0]["device"]);
    }

    [Fact]
    public async Task BinaryBytePastTheFirstBlock_IsRejected_NamingLineAndColumn()
    {
        var rows = string.Concat(Enumerable.Repeat(Row2 + "\n", 300)); // ≈ 14 KB: past the 8 KB the sniffer looks at
        var e = await RejectAsync("erinhills_rounds.csv", $"{Header}\n{rows}r2,d\u00002,2025-05-01T10:00:00.000Z,0,12.5,-88.1,43.1\n");
        Assert.Equal("erinhills_rounds.csv line 302, column 'device': binary data in the value (byte 0x00).", e.Message);
    }
}

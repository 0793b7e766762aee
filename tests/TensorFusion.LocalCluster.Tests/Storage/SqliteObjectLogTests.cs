using System.Text;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Tests.Storage;

public sealed class SqliteObjectLogTests
{
    [Fact]
    public async Task AppendAsync_GroupCommittedTransactions_AreOnDiskWhenAcknowledged()
    {
        var state = Path.Combine(Path.GetTempPath(), "tf-sqlite-log-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var log = new SqliteObjectLog(state);
            var json = Encoding.UTF8.GetBytes("{}");
            // 200 transactions of two rows each, queued back to back so the writer groups them; revision i per transaction.
            var acknowledged = Enumerable.Range(1, 200)
                .Select(i => log.AppendAsync([new LogWrite("configmaps", "default", $"m{i}", i, json), new LogWrite("secrets", "default", $"s{i}", i, json)], i))
                .ToList();
            await Task.WhenAll(acknowledged);

            // A second connection sees what a restarted process would: every acknowledged row, and the last revision.
            await using var restarted = new SqliteObjectLog(state);
            var (rows, revision) = restarted.Load();

            Assert.Equal(400, rows.Count);
            Assert.Equal(200, revision);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task AppendAsync_DeleteInLaterTransaction_RemovesTheRowButKeepsTheRevision()
    {
        var state = Path.Combine(Path.GetTempPath(), "tf-sqlite-log-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var log = new SqliteObjectLog(state))
            {
                await log.AppendAsync([new LogWrite("configmaps", "default", "a", 1, "{}"u8.ToArray())], 1);
                await log.AppendAsync([new LogWrite("configmaps", "default", "a", 2, null)], 2);
            }

            await using var restarted = new SqliteObjectLog(state);
            var (rows, revision) = restarted.Load();

            Assert.Empty(rows);
            Assert.Equal(2, revision);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}

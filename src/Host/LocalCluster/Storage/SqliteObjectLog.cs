using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// SQLite (WAL) as the durable copy of the in-memory index. Writes are grouped: every transaction queued while the
/// previous commit ran is committed together, and each caller waits for the commit that holds its writes.
/// </summary>
public sealed class SqliteObjectLog : IObjectLog
{
    private readonly SqliteConnection _connection;
    private readonly Channel<PendingTransaction> _queue = Channel.CreateUnbounded<PendingTransaction>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _writer;

    public SqliteObjectLog(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "state.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;");
        Execute("CREATE TABLE IF NOT EXISTS objects (resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, " +
                "rv INTEGER NOT NULL, json BLOB NOT NULL, PRIMARY KEY (resource, namespace, name)) WITHOUT ROWID;");
        Execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);");
        _writer = Task.Run(WriteLoopAsync);
    }

    public (IReadOnlyList<LogWrite> Rows, long Revision) Load()
    {
        var rows = new List<LogWrite>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT resource, namespace, name, rv, json FROM objects";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new LogWrite(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), (byte[])reader[4]));
            }
        }

        using var revisionCommand = _connection.CreateCommand();
        revisionCommand.CommandText = "SELECT value FROM meta WHERE key = 'revision'";
        var stored = revisionCommand.ExecuteScalar() is long value ? value : 0;
        var revision = Math.Max(stored, rows.Count == 0 ? 0 : rows.Max(row => row.ResourceVersion));
        return (rows, revision);
    }

    public Task AppendAsync(IReadOnlyList<LogWrite> writes, long revision)
    {
        var pending = new PendingTransaction(writes, revision);
        return _queue.Writer.TryWrite(pending) ? pending.Committed.Task : Task.FromException(new ObjectDisposedException(nameof(SqliteObjectLog)));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        _connection.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingTransaction>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < 4096 && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                Commit(batch);
                batch.ForEach(pending => pending.Committed.TrySetResult());
            }
            catch (SqliteException failure)
            {
                batch.ForEach(pending => pending.Committed.TrySetException(failure));
            }

            batch.Clear();
        }
    }

    private void Commit(List<PendingTransaction> batch)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT INTO objects (resource, namespace, name, rv, json) VALUES ($r, $n, $m, $v, $j) " +
                             "ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, json = excluded.json";
        var (r, n, m, v, j) = (upsert.Parameters.Add("$r", SqliteType.Text), upsert.Parameters.Add("$n", SqliteType.Text),
            upsert.Parameters.Add("$m", SqliteType.Text), upsert.Parameters.Add("$v", SqliteType.Integer), upsert.Parameters.Add("$j", SqliteType.Blob));
        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM objects WHERE resource = $r AND namespace = $n AND name = $m";
        var (dr, dn, dm) = (delete.Parameters.Add("$r", SqliteType.Text), delete.Parameters.Add("$n", SqliteType.Text), delete.Parameters.Add("$m", SqliteType.Text));
        foreach (var write in batch.SelectMany(pending => pending.Writes))
        {
            if (write.Json is null)
            {
                (dr.Value, dn.Value, dm.Value) = (write.StorageId, write.Namespace, write.Name);
                delete.ExecuteNonQuery();
            }
            else
            {
                (r.Value, n.Value, m.Value, v.Value, j.Value) = (write.StorageId, write.Namespace, write.Name, write.ResourceVersion, write.Json);
                upsert.ExecuteNonQuery();
            }
        }

        using var meta = _connection.CreateCommand();
        meta.Transaction = transaction;
        meta.CommandText = "INSERT INTO meta (key, value) VALUES ('revision', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        meta.Parameters.AddWithValue("$v", batch[^1].Revision);
        meta.ExecuteNonQuery();
        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record PendingTransaction(IReadOnlyList<LogWrite> Writes, long Revision)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

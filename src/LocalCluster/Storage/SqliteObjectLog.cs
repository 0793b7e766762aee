using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace TensorFusion.LocalCluster.Storage;

/// <summary>
/// SQLite (WAL) as the durable copy of the in-memory index. Writes are grouped: every transaction queued while the
/// previous commit ran is committed together, and each caller waits for the commit that holds its writes. A commit is
/// all-or-nothing, so a crash never leaves half an object. With synchronous=NORMAL a commit is not fsynced: a killed
/// process loses nothing it acknowledged, but a power cut can lose the last commits (the file stays consistent).
/// </summary>
public sealed class SqliteObjectLog : IObjectLog
{
    private readonly SqliteConnection _connection;
    private readonly Channel<PendingTransaction> _queue = Channel.CreateUnbounded<PendingTransaction>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _writer;

    // Prepared once and reused by every commit: with small groups, preparing per commit cost as much as the writes.
    private Statements? _statements;

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
        _statements?.Dispose();
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
        var statements = _statements ??= new Statements(_connection);
        statements.Enlist(transaction);
        foreach (var write in batch.SelectMany(pending => pending.Writes))
        {
            if (write.Json is null)
            {
                statements.Delete(write);
            }
            else
            {
                statements.Upsert(write);
            }
        }

        statements.SetRevision(batch[^1].Revision);
        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The three statements a commit runs, with their parameters bound by position.</summary>
    private sealed class Statements : IDisposable
    {
        private readonly SqliteCommand _upsert;
        private readonly SqliteCommand _delete;
        private readonly SqliteCommand _revision;

        public Statements(SqliteConnection connection)
        {
            _upsert = Command(connection, "INSERT INTO objects (resource, namespace, name, rv, json) VALUES ($r, $n, $m, $v, $j) " +
                                          "ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, json = excluded.json",
                ("$r", SqliteType.Text), ("$n", SqliteType.Text), ("$m", SqliteType.Text), ("$v", SqliteType.Integer), ("$j", SqliteType.Blob));
            _delete = Command(connection, "DELETE FROM objects WHERE resource = $r AND namespace = $n AND name = $m",
                ("$r", SqliteType.Text), ("$n", SqliteType.Text), ("$m", SqliteType.Text));
            _revision = Command(connection, "INSERT INTO meta (key, value) VALUES ('revision', $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                ("$v", SqliteType.Integer));
        }

        public void Enlist(SqliteTransaction transaction) => (_upsert.Transaction, _delete.Transaction, _revision.Transaction) = (transaction, transaction, transaction);

        public void Upsert(LogWrite write)
        {
            var parameters = _upsert.Parameters;
            (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value, parameters[4].Value) =
                (write.StorageId, write.Namespace, write.Name, write.ResourceVersion, write.Json);
            _upsert.ExecuteNonQuery();
        }

        public void Delete(LogWrite write)
        {
            var parameters = _delete.Parameters;
            (parameters[0].Value, parameters[1].Value, parameters[2].Value) = (write.StorageId, write.Namespace, write.Name);
            _delete.ExecuteNonQuery();
        }

        public void SetRevision(long revision)
        {
            _revision.Parameters[0].Value = revision;
            _revision.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _upsert.Dispose();
            _delete.Dispose();
            _revision.Dispose();
        }

        private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            return command;
        }
    }

    private sealed record PendingTransaction(IReadOnlyList<LogWrite> Writes, long Revision)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

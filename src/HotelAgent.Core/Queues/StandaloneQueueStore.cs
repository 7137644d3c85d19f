using System.Globalization;
using HotelAgent.Core.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Queues;

/// <summary>A dequeued message and the receipt that proves this delivery still owns it.</summary>
public sealed record QueueLease(QueueMessage Message, string PopReceipt);

/// <summary>
/// Durable on-disk queues in one SQLite file (WAL): the standalone stand-in for Azure Storage queues.
/// A dequeued message is hidden for a visibility timeout (renewed while its handler runs); when the
/// process dies mid-message the timeout lapses and the message becomes visible again with its dequeue count kept.
/// Poison queues are ordinary queues named <c>{queue}-poison</c>.
/// </summary>
public sealed class StandaloneQueueStore : IQueueStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private bool _disposed;

    public StandaloneQueueStore(IOptions<QueueOptions> options, IOptions<HotelAgentOptions> appOptions, TimeProvider time)
        : this(Path.Combine(appOptions.Value.ResolveDataDirectory(), options.Value.FileName), time)
    {
    }

    public StandaloneQueueStore(string databasePath, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _time = time;
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 5000;
            CREATE TABLE IF NOT EXISTS queue_messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                queue TEXT NOT NULL,
                body TEXT NOT NULL,
                inserted_at INTEGER NOT NULL,
                visible_at INTEGER NOT NULL,
                dequeue_count INTEGER NOT NULL DEFAULT 0,
                pop_receipt TEXT NULL);
            CREATE INDEX IF NOT EXISTS ix_queue_messages_ready ON queue_messages (queue, visible_at);
            """);
    }

    /// <summary>Raised after a message becomes visible (enqueue or release) so an in-process processor wakes at once.</summary>
    public event Action<string>? MessageAvailable;

    /// <summary>Full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    public Task<string> EnqueueAsync(string queueName, string messageText, CancellationToken cancellationToken = default) =>
        EnqueueAsync(queueName, messageText, TimeSpan.Zero, cancellationToken);

    /// <summary>Adds a message that becomes visible after <paramref name="initialVisibilityDelay"/>.</summary>
    public Task<string> EnqueueAsync(string queueName, string messageText, TimeSpan initialVisibilityDelay, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queueName);
        ArgumentNullException.ThrowIfNull(messageText);
        cancellationToken.ThrowIfCancellationRequested();
        var id = Guid.NewGuid().ToString("N");
        var now = Now();
        lock (_gate)
        {
            Insert(id, queueName, messageText, now, now + (long)initialVisibilityDelay.TotalMilliseconds, 0);
        }

        MessageAvailable?.Invoke(queueName);
        return Task.FromResult(id);
    }

    /// <summary>Takes the oldest visible message of the queue, hides it for <paramref name="visibilityTimeout"/> and counts the delivery.</summary>
    public Task<QueueLease?> TryDequeueAsync(string queueName, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = Now();
        var receipt = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            using var cmd = Command("""
                UPDATE queue_messages
                SET visible_at = $until, dequeue_count = dequeue_count + 1, pop_receipt = $receipt
                WHERE seq = (SELECT seq FROM queue_messages WHERE queue = $queue AND visible_at <= $now ORDER BY seq LIMIT 1)
                RETURNING id, body, dequeue_count, inserted_at;
                """);
            cmd.Parameters.AddWithValue("$until", now + (long)visibilityTimeout.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$receipt", receipt);
            cmd.Parameters.AddWithValue("$queue", queueName);
            cmd.Parameters.AddWithValue("$now", now);
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
            {
                return Task.FromResult<QueueLease?>(null);
            }

            var message = new QueueMessage(reader.GetString(0), queueName, reader.GetString(1), reader.GetInt32(2), FromMs(reader.GetInt64(3)));
            return Task.FromResult<QueueLease?>(new QueueLease(message, receipt));
        }
    }

    /// <summary>Deletes a successfully processed message. False when the lease was lost (the message reappeared and was taken again).</summary>
    public Task<bool> CompleteAsync(QueueLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            using var cmd = Command("DELETE FROM queue_messages WHERE id = $id AND pop_receipt = $receipt;");
            cmd.Parameters.AddWithValue("$id", lease.Message.Id);
            cmd.Parameters.AddWithValue("$receipt", lease.PopReceipt);
            return Task.FromResult(cmd.ExecuteNonQuery() == 1);
        }
    }

    /// <summary>Makes a message visible again after <paramref name="delay"/> (a failed delivery; the dequeue count is kept).</summary>
    public Task<bool> ReleaseAsync(QueueLease lease, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(lease);
        bool released;
        lock (_gate)
        {
            using var cmd = Command("UPDATE queue_messages SET visible_at = $at, pop_receipt = NULL WHERE id = $id AND pop_receipt = $receipt;");
            cmd.Parameters.AddWithValue("$at", Now() + (long)delay.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$id", lease.Message.Id);
            cmd.Parameters.AddWithValue("$receipt", lease.PopReceipt);
            released = cmd.ExecuteNonQuery() == 1;
        }

        if (released)
        {
            MessageAvailable?.Invoke(lease.Message.QueueName);
        }

        return Task.FromResult(released);
    }

    /// <summary>Extends the invisibility of a message whose handler is still running. False when the lease was lost.</summary>
    public Task<bool> RenewAsync(QueueLease lease, TimeSpan visibilityTimeout)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            using var cmd = Command("UPDATE queue_messages SET visible_at = $at WHERE id = $id AND pop_receipt = $receipt;");
            cmd.Parameters.AddWithValue("$at", Now() + (long)visibilityTimeout.TotalMilliseconds);
            cmd.Parameters.AddWithValue("$id", lease.Message.Id);
            cmd.Parameters.AddWithValue("$receipt", lease.PopReceipt);
            return Task.FromResult(cmd.ExecuteNonQuery() == 1);
        }
    }

    /// <summary>Moves the message to <c>{queue}-poison</c> (same id and text, dequeue count reset) in one transaction.</summary>
    public Task<bool> MoveToPoisonAsync(QueueLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var delete = Command("DELETE FROM queue_messages WHERE id = $id AND pop_receipt = $receipt;"))
            {
                delete.Transaction = tx;
                delete.Parameters.AddWithValue("$id", lease.Message.Id);
                delete.Parameters.AddWithValue("$receipt", lease.PopReceipt);
                if (delete.ExecuteNonQuery() != 1)
                {
                    tx.Rollback();
                    return Task.FromResult(false);
                }
            }

            var now = Now();
            Insert(lease.Message.Id, QueueNames.Poison(lease.Message.QueueName), lease.Message.Text, now, now, 0, tx);
            tx.Commit();
            return Task.FromResult(true);
        }
    }

    /// <summary>When the next message of any of the queues becomes visible (null when they are empty).</summary>
    public Task<DateTimeOffset?> NextVisibleAtAsync(IReadOnlyCollection<string> queueNames)
    {
        ArgumentNullException.ThrowIfNull(queueNames);
        if (queueNames.Count == 0)
        {
            return Task.FromResult<DateTimeOffset?>(null);
        }

        lock (_gate)
        {
            using var cmd = Command(string.Empty);
            var names = queueNames.Select((q, i) =>
            {
                cmd.Parameters.AddWithValue("$q" + i.ToString(CultureInfo.InvariantCulture), q);
                return "$q" + i.ToString(CultureInfo.InvariantCulture);
            }).ToList();
            cmd.CommandText = $"SELECT MIN(visible_at) FROM queue_messages WHERE queue IN ({string.Join(',', names)});";
            var value = cmd.ExecuteScalar();
            return Task.FromResult<DateTimeOffset?>(value is long ms ? FromMs(ms) : null);
        }
    }

    public Task<int> CountAsync(string queueName, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT COUNT(*) FROM queue_messages WHERE queue = $queue;");
            cmd.Parameters.AddWithValue("$queue", queueName);
            return Task.FromResult(Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));
        }
    }

    public Task<IReadOnlyList<QueueMessage>> PeekAsync(string queueName, int maxMessages = 32, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT id, body, dequeue_count, inserted_at FROM queue_messages WHERE queue = $queue ORDER BY seq LIMIT $max;");
            cmd.Parameters.AddWithValue("$queue", queueName);
            cmd.Parameters.AddWithValue("$max", Math.Clamp(maxMessages, 1, 1000));
            using var reader = cmd.ExecuteReader();
            var list = new List<QueueMessage>();
            while (reader.Read())
            {
                list.Add(new QueueMessage(reader.GetString(0), queueName, reader.GetString(1), reader.GetInt32(2), FromMs(reader.GetInt64(3))));
            }

            return Task.FromResult<IReadOnlyList<QueueMessage>>(list);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Insert(string id, string queueName, string body, long insertedAt, long visibleAt, int dequeueCount, SqliteTransaction? tx = null)
    {
        using var cmd = Command("""
            INSERT INTO queue_messages (id, queue, body, inserted_at, visible_at, dequeue_count)
            VALUES ($id, $queue, $body, $inserted, $visible, $count);
            """);
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$queue", queueName);
        cmd.Parameters.AddWithValue("$body", body);
        cmd.Parameters.AddWithValue("$inserted", insertedAt);
        cmd.Parameters.AddWithValue("$visible", visibleAt);
        cmd.Parameters.AddWithValue("$count", dequeueCount);
        cmd.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cmd = _connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is constant; values are parameters.
        cmd.CommandText = sql;
#pragma warning restore CA2100
        return cmd;
    }
}

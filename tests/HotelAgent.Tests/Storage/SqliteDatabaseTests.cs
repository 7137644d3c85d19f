using System.Globalization;
using HotelAgent.Core.Storage;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Data.Sqlite;

namespace HotelAgent.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("store.db");

    public void Dispose() => _dir.Dispose();

    private static Task CreateTablesAsync(SqliteDatabase db) => db.WriteAsync(w =>
    {
        w.Execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);");
        w.Execute("INSERT OR IGNORE INTO counter (id, n) VALUES (1, 0);");
        return w.Execute("CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY);");
    });

    private static async Task<long> ReadLongAsync(SqliteDatabase db, string sql)
    {
        await using var connection = await db.OpenReadConnectionAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Fifty_concurrent_read_then_write_transactions_from_two_instances_on_one_file_all_commit()
    {
        using var first = new SqliteDatabase(DbPath);
        using var second = new SqliteDatabase(DbPath);
        await CreateTablesAsync(first);
        using var start = new ManualResetEventSlim();

        // Each write reads the counter and stores it plus one: a lost update or a SQLITE_BUSY would show as a count below 50.
        var writes = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            await (i % 2 == 0 ? first : second).WriteAsync(async w =>
            {
                var n = Convert.ToInt64(w.Scalar("SELECT n FROM counter WHERE id = 1;"), CultureInfo.InvariantCulture);
                await Task.Yield();
                return w.Execute("UPDATE counter SET n = $n WHERE id = 1;", ("$n", n + 1));
            });
        })).ToList();
        start.Set();
        await Task.WhenAll(writes);

        Assert.Equal(50, await ReadLongAsync(second, "SELECT n FROM counter WHERE id = 1;"));
    }

    [Fact]
    public async Task A_throwing_write_rolls_back_and_the_writer_stays_usable()
    {
        using var db = new SqliteDatabase(DbPath);
        await CreateTablesAsync(db);

        Func<SqliteWriter, int> failing = w =>
        {
            w.Execute("INSERT INTO items (id) VALUES ('a');");
            throw new InvalidOperationException("boom");
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync(failing));

        // A failing statement (duplicate key) also undoes the statements before it in the same transaction.
        await db.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('dup');"));
        await Assert.ThrowsAsync<SqliteException>(() => db.WriteAsync(w =>
        {
            w.Execute("INSERT INTO items (id) VALUES ('b');");
            return w.Execute("INSERT INTO items (id) VALUES ('dup');");
        }));

        await db.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('c');"));
        Assert.Equal(0, await ReadLongAsync(db, "SELECT COUNT(*) FROM items WHERE id IN ('a', 'b');"));
        Assert.Equal(2, await ReadLongAsync(db, "SELECT COUNT(*) FROM items;"));
    }

    [Fact]
    public async Task A_reader_sees_committed_rows_without_waiting_for_an_open_write()
    {
        using var db = new SqliteDatabase(DbPath);
        await CreateTablesAsync(db);
        await db.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('committed');"));

        var inserted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = db.WriteAsync(async w =>
        {
            w.Execute("INSERT INTO items (id) VALUES ('uncommitted');");
            inserted.SetResult();
            await release.Task;
            return 0;
        });
        await inserted.Task;

        try
        {
            // WAL: the reader is not blocked by the write transaction (still open: it is released only below; a blocked
            // reader would fail with SQLITE_BUSY) and sees only committed data.
            Assert.Equal(1, await ReadLongAsync(db, "SELECT COUNT(*) FROM items;"));
        }
        finally
        {
            release.SetResult();
            await open;
        }

        Assert.Equal(2, await ReadLongAsync(db, "SELECT COUNT(*) FROM items;"));
    }

    [Fact]
    public async Task Dispose_closes_the_writer_so_a_new_instance_can_write_the_file()
    {
        var db = new SqliteDatabase(DbPath);
        await CreateTablesAsync(db);
        await db.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('before');"));
        if (OperatingSystem.IsLinux())
        {
            Assert.NotEqual(0, OpenHandlesTo(db.FilePath));
        }

        db.Dispose();

        if (OperatingSystem.IsLinux())
        {
            // Only the writer touched the file (no reader was opened), so no descriptor may remain.
            Assert.Equal(0, OpenHandlesTo(db.FilePath));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('late');")));
        using var reopened = new SqliteDatabase(DbPath);
        await reopened.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('after');"));
        Assert.Equal(2, await ReadLongAsync(reopened, "SELECT COUNT(*) FROM items;"));
    }

    [Fact]
    public async Task Dispose_waits_for_a_write_in_flight_to_commit()
    {
        var db = new SqliteDatabase(DbPath);
        await CreateTablesAsync(db);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = db.WriteAsync(async w =>
        {
            started.SetResult();
            await finish.Task;
            return w.Execute("INSERT INTO items (id) VALUES ('in-flight');");
        });
        await started.Task;

        // Dispose starts while the write is held open; once it has (new work is refused), the write may finish.
        var dispose = Task.Run(db.Dispose);
        await Eventually.AssertAsync(() => RefusesNewWorkAsync(db), () => "Dispose never started");
        Assert.False(dispose.IsCompleted, "Dispose returned while a write was in flight");
        finish.SetResult();
        await dispose;
        await write;

        using var reopened = new SqliteDatabase(DbPath);
        Assert.Equal(1, await ReadLongAsync(reopened, "SELECT COUNT(*) FROM items WHERE id = 'in-flight';"));
    }

    /// <summary>Whether <paramref name="db"/> refuses new work (Dispose has begun); a connection it still hands out is closed.</summary>
    private static async Task<bool> RefusesNewWorkAsync(SqliteDatabase db)
    {
        try
        {
            await using var connection = await db.OpenReadConnectionAsync();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    [Fact]
    public async Task The_same_prepared_command_serves_every_transaction()
    {
        using var db = new SqliteDatabase(DbPath);
        await CreateTablesAsync(db);
        const string Sql = "INSERT INTO items (id) VALUES ($id);";

        var firstCommand = await db.WriteAsync(w =>
        {
            var command = w.Command(Sql, ("$id", "one"));
            command.ExecuteNonQuery();
            Assert.Same(w.Transaction, command.Transaction);
            return command;
        });
        var secondCommand = await db.WriteAsync(w =>
        {
            var command = w.Command(Sql, ("$id", "two"));
            Assert.Single(command.Parameters);
            Assert.Same(w.Transaction, command.Transaction);
            command.ExecuteNonQuery();
            return command;
        });

        Assert.Same(firstCommand, secondCommand);
        Assert.Equal(2, await ReadLongAsync(db, "SELECT COUNT(*) FROM items;"));
    }

    [Fact]
    public async Task The_file_is_in_wal_mode()
    {
        using var db = new SqliteDatabase(DbPath);
        await CreateTablesAsync(db);
        await using var connection = await db.OpenReadConnectionAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    private static int OpenHandlesTo(string filePath)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(filePath, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }

    [Fact]
    public async Task The_schema_set_up_runs_once_before_the_first_read_and_a_failed_one_is_retried()
    {
        var runs = 0;
        var failFirst = true;
        using var db = new SqliteDatabase(DbPath, initialize: w =>
        {
            runs++;
            w.ExecuteScript("CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY);");
            if (failFirst)
            {
                failFirst = false;
                throw new InvalidOperationException("migration failed");
            }
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.OpenReadConnectionAsync());
        Assert.Equal(0, await ReadLongAsync(db, "SELECT COUNT(*) FROM items")); // retried, and the table exists now
        await db.WriteAsync(w => w.Execute("INSERT INTO items (id) VALUES ('a');"));
        await db.EnsureInitializedAsync();

        Assert.Equal(2, runs);
        Assert.Equal(1, await ReadLongAsync(db, "SELECT COUNT(*) FROM items"));
    }
}

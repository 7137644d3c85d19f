using System.Globalization;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>One booking HotelAgent made in QloApps, as remembered locally.</summary>
public sealed record QloAppsIndexedBooking(int IdOrder, string IdempotencyKey, string GuestName, string Contact, string? Email, Channel Channel, ReservationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt);

/// <summary>
/// Local SQLite index of the bookings HotelAgent made in QloApps: idempotency keys (QloApps has none), the guest's contact
/// (QloApps cannot search orders by WhatsApp number) and the cancellation state (the bookings resource does not return it).
/// Writes go one at a time through the file's single writer (prepared statements); lookups use pooled read connections.
/// </summary>
public sealed class QloAppsBookingIndex : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS bookings(
            id_order INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, guest_name TEXT NOT NULL, contact TEXT NOT NULL,
            contact_norm TEXT NOT NULL, email TEXT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
            cancelled_at TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_bookings_contact ON bookings(contact_norm);
        CREATE TABLE IF NOT EXISTS operations(idempotency_key TEXT PRIMARY KEY, id_order INTEGER NOT NULL, kind TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS pending(idempotency_key TEXT PRIMARY KEY, sent_at TEXT NOT NULL);
        """;

    private readonly SqliteDatabase _database;

    public QloAppsBookingIndex(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _database = new SqliteDatabase(databasePath, initialize: writer => writer.ExecuteScript(Schema));
    }

    public void Dispose() => _database.Dispose();

    public async Task<QloAppsIndexedBooking?> FindByKeyAsync(string idempotencyKey, CancellationToken ct)
    {
        var list = await QueryAsync("WHERE idempotency_key = $p0", [idempotencyKey], ct);
        return list.Count > 0 ? list[0] : null;
    }

    public async Task<QloAppsIndexedBooking?> FindByOrderAsync(int idOrder, CancellationToken ct)
    {
        var list = await QueryAsync("WHERE id_order = $p0", [idOrder], ct);
        return list.Count > 0 ? list[0] : null;
    }

    public Task<List<QloAppsIndexedBooking>> FindByContactAsync(string contact, CancellationToken ct) =>
        QueryAsync("WHERE contact_norm = $p0 OR lower(email) = $p0 ORDER BY created_at DESC", [ContactNormalizer.NormalizeContact(contact)], ct);

    public Task<List<QloAppsIndexedBooking>> ListAsync(int limit, CancellationToken ct) =>
        QueryAsync("ORDER BY created_at DESC LIMIT " + Math.Clamp(limit, 1, 5000).ToString(CultureInfo.InvariantCulture), [], ct);

    public async Task AddAsync(QloAppsIndexedBooking booking, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(booking);
        await ExecuteAsync("""
            INSERT OR IGNORE INTO bookings(id_order, idempotency_key, guest_name, contact, contact_norm, email, channel, status, created_at, cancelled_at)
            VALUES($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, NULL)
            """,
            [booking.IdOrder, booking.IdempotencyKey, booking.GuestName, booking.Contact, ContactNormalizer.NormalizeContact(booking.Contact), booking.Email,
             booking.Channel.ToString(), booking.Status.ToString(), booking.CreatedAt.ToString("O", CultureInfo.InvariantCulture)], ct);
    }

    /// <summary>Remembers that a create with this key was sent (its answer may get lost).</summary>
    public Task MarkPendingAsync(string key, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync("INSERT OR IGNORE INTO pending(idempotency_key, sent_at) VALUES($p0, $p1)", [key, at.ToString("O", CultureInfo.InvariantCulture)], ct);

    public Task ClearPendingAsync(string key, CancellationToken ct) =>
        ExecuteAsync("DELETE FROM pending WHERE idempotency_key = $p0", [key], ct);

    public async Task<bool> IsPendingAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM pending WHERE idempotency_key = $p0";
        cmd.Parameters.AddWithValue("$p0", key);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public Task MarkCancelledAsync(int idOrder, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync("UPDATE bookings SET status = 'Cancelled', cancelled_at = $p1 WHERE id_order = $p0", [idOrder, at.ToString("O", CultureInfo.InvariantCulture)], ct);

    public async Task<bool> OperationDoneAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM operations WHERE idempotency_key = $p0";
        cmd.Parameters.AddWithValue("$p0", key);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public Task RecordOperationAsync(string key, int idOrder, string kind, CancellationToken ct) =>
        ExecuteAsync("INSERT OR IGNORE INTO operations(idempotency_key, id_order, kind) VALUES($p0, $p1, $p2)", [key, idOrder, kind], ct);

    private async Task<List<QloAppsIndexedBooking>> QueryAsync(string where, object?[] args, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = SqliteCommands.Create(
            connection,
            "SELECT id_order, idempotency_key, guest_name, contact, email, channel, status, created_at, cancelled_at FROM bookings " + where,
            SqliteCommands.Positional(args));

        var result = new List<QloAppsIndexedBooking>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new QloAppsIndexedBooking(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                Enum.Parse<Channel>(reader.GetString(5)),
                Enum.Parse<ReservationStatus>(reader.GetString(6)),
                DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.IsDBNull(8) ? null : DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }

        return result;
    }

    private Task ExecuteAsync(string sql, object?[] args, CancellationToken ct) =>
        _database.WriteAsync(writer => writer.Execute(sql, SqliteCommands.Positional(args)), ct);

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => _database.OpenReadConnectionAsync(ct);
}

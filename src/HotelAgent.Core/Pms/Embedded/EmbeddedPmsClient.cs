using System.Globalization;
using System.Text.Json;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Pms.Embedded;

/// <summary>
/// A small-hotel PMS on SQLite (WAL). Inventory is kept per room type per night as a "booked" counter; every write runs in
/// one BEGIN IMMEDIATE transaction on the file's single in-process writer (<see cref="SqliteDatabase"/>) that checks and
/// moves the counters, so two guests (or two processes) can never book the last room. Reads use pooled connections. Room types, capacities, inventory and rates are synced from the hotel profile at start; booked counts and
/// reservations (with the price they were booked at) are kept.
/// </summary>
public sealed class EmbeddedPmsClient : IPmsClient, IDisposable
{
    private const string DateFormat = "yyyy-MM-dd";
    private readonly HotelProfile _profile;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationPolicy _policy;
    private readonly SqliteDatabase _database;
    private readonly string _path;
    private readonly string _referencePrefix;

    public EmbeddedPmsClient(string databasePath, HotelProfile profile, TimeProvider time, ILogger<EmbeddedPmsClient>? logger = null, string? referencePrefix = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _policy = new CancellationPolicy(profile, time);
        _path = Path.GetFullPath(databasePath);
        _referencePrefix = string.IsNullOrWhiteSpace(referencePrefix) ? ReservationReference.PrefixFromHotelName(profile.Name) : referencePrefix;
        _database = new SqliteDatabase(_path, initialize: SyncSchemaAndRoomTypes);
    }

    public string DatabasePath => _path;

    public async Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await LoadRoomTypesAsync(connection, null, cancellationToken);
    }

    public async Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await using var connection = await OpenAsync(cancellationToken);
        var types = await LoadRoomTypesAsync(connection, null, cancellationToken);
        if (query.RoomType is { Length: > 0 } wanted && !types.Any(t => t.Code.Equals(wanted, StringComparison.OrdinalIgnoreCase)))
        {
            throw new UnknownRoomTypeException(wanted);
        }

        var maxBooked = await MaxBookedAsync(connection, null, query.CheckIn, query.CheckOut, cancellationToken);
        var offers = new List<RoomOffer>();
        foreach (var type in types)
        {
            if (query.RoomType is { Length: > 0 } code && !type.Code.Equals(code, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (type.Capacity < query.Guests)
            {
                continue;
            }

            var available = Math.Max(0, type.Inventory - maxBooked.GetValueOrDefault(type.Code));
            if (available > 0)
            {
                offers.Add(new RoomOffer(type.Code, type.Name, type.Capacity, available, type.NightlyRate, query.Nights, type.NightlyRate * query.Nights, type.Currency, type.Includes));
            }
        }

        return offers.OrderBy(o => o.TotalPrice).ThenBy(o => o.Capacity).ToList();
    }

    public async Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ValidateRange(from, to);
        await using var connection = await OpenAsync(cancellationToken);
        var types = await LoadRoomTypesAsync(connection, null, cancellationToken);
        var maxBooked = await MaxBookedAsync(connection, null, from, to, cancellationToken);
        return types
            .Select(t => new RoomTypeAvailability(t.Code, t.Name, Math.Max(0, t.Inventory - maxBooked.GetValueOrDefault(t.Code)), t.NightlyRate, t.Currency))
            .ToList();
    }

    public async Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.IdempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.GuestName);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.Contact);
        reservation.ToStay().Validate();

        Action? afterCommit = null;
        var result = await _database.WriteAsync(async writer =>
        {
            var connection = writer.Connection;
            var tx = writer.Transaction;

            var existing = await QueryReservationsAsync(connection, tx, "WHERE idempotency_key = $p0", [reservation.IdempotencyKey], cancellationToken);
            if (existing.Count > 0)
            {
                Log.CreateReplayed(_logger, existing[0].Reference);
                return existing[0];
            }

            var type = await RequireRoomTypeAsync(connection, tx, reservation.RoomType, cancellationToken);
            NoAvailabilityException.ThrowIfOverCapacity(type.Code, type.Capacity, reservation.ToStay());

            await TakeNightsAsync(writer, type, reservation.CheckIn, reservation.CheckOut, cancellationToken);

            var now = _time.GetUtcNow();
            var created = Reservation.Confirm(reservation, type, await NewUniqueReferenceAsync(connection, tx, cancellationToken), now);

            Execute(writer, """
                INSERT INTO reservations(reference, idempotency_key, guest_name, contact, contact_norm, email, channel, room_type,
                    check_in, check_out, guests, nightly_rate, total_price, currency, status, created_at, updated_at, cancelled_at,
                    children, infants, note)
                VALUES($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p15, NULL, $p16, $p17, $p18)
                """,
                [created.Reference, reservation.IdempotencyKey, created.GuestName, created.Contact, ContactNormalizer.NormalizeContact(created.Contact),
                 created.Email, created.Channel.ToString(), created.RoomType, D(created.CheckIn), D(created.CheckOut), created.Guests,
                 M(created.NightlyRate), M(created.TotalPrice), created.Currency, created.Status.ToString(), now.ToString("O", CultureInfo.InvariantCulture),
                 created.Children, created.Infants, created.Note],
                cancellationToken);
            afterCommit = () => Log.ReservationCreated(_logger, created.Reference, created.RoomType, created.CheckIn, created.CheckOut, PiiMask.Contact(created.Contact));
            return created;
        }, cancellationToken);
        afterCommit?.Invoke();
        return result;
    }

    public async Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        await using var connection = await OpenAsync(cancellationToken);
        var found = await QueryReservationsAsync(connection, null, "WHERE reference = $p0", [ReservationReference.Normalize(reference)], cancellationToken);
        return found.Count > 0 ? found[0] : throw new ReservationNotFoundException(reference);
    }

    public async Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contact);
        await using var connection = await OpenAsync(cancellationToken);
        var norm = ContactNormalizer.NormalizeContact(contact);
        return await QueryReservationsAsync(connection, null, "WHERE contact_norm = $p0 OR lower(email) = $p0 ORDER BY created_at DESC", [norm], cancellationToken);
    }

    public async Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new ReservationFilter();
        await using var connection = await OpenAsync(cancellationToken);
        var where = new List<string>();
        var args = new List<object?>();
        if (filter.Status is { } status)
        {
            where.Add($"status = $p{args.Count}");
            args.Add(status.ToString());
        }

        if (filter.From is { } from)
        {
            where.Add($"check_out > $p{args.Count}");
            args.Add(D(from));
        }

        if (filter.To is { } to)
        {
            where.Add($"check_in < $p{args.Count}");
            args.Add(D(to));
        }

        var sql = (where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)
            + $" ORDER BY check_in, created_at LIMIT {Math.Clamp(filter.Limit, 1, 5000).ToString(CultureInfo.InvariantCulture)}";
        return await QueryReservationsAsync(connection, null, sql, args, cancellationToken);
    }

    public async Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.IdempotencyKey);

        Action? afterCommit = null;
        var result = await _database.WriteAsync(async writer =>
        {
            var connection = writer.Connection;
            var tx = writer.Transaction;
            var current = await GetInTxAsync(connection, tx, reference, cancellationToken);
            if (await OperationDoneAsync(connection, tx, change.IdempotencyKey, cancellationToken))
            {
                return current;
            }

            var stay = change.StayFor(current);
            var type = await RequireRoomTypeAsync(connection, tx, stay.RoomType!, cancellationToken);
            NoAvailabilityException.ThrowIfOverCapacity(type.Code, type.Capacity, stay);

            // Release the old nights, then take the new ones; a failure rolls both back.
            ReleaseNights(writer, current.RoomType, current.CheckIn, current.CheckOut);
            await TakeNightsAsync(writer, type, stay.CheckIn, stay.CheckOut, cancellationToken);

            var now = _time.GetUtcNow();
            var updated = current.WithStay(stay, type);
            Execute(writer, """
                UPDATE reservations SET room_type = $p1, check_in = $p2, check_out = $p3, guests = $p4, nightly_rate = $p5,
                    total_price = $p6, currency = $p7, updated_at = $p8, children = $p9 WHERE reference = $p0
                """,
                [updated.Reference, updated.RoomType, D(updated.CheckIn), D(updated.CheckOut), updated.Guests, M(updated.NightlyRate),
                 M(updated.TotalPrice), updated.Currency, now.ToString("O", CultureInfo.InvariantCulture), updated.Children],
                cancellationToken);
            RecordOperation(writer, change.IdempotencyKey, updated.Reference, "modify", now, cancellationToken);
            afterCommit = () => Log.ReservationModified(_logger, updated.Reference, updated.RoomType, updated.CheckIn, updated.CheckOut);
            return updated;
        }, cancellationToken);
        afterCommit?.Invoke();
        return result;
    }

    public async Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);

        Action? afterCommit = null;
        var result = await _database.WriteAsync(async writer =>
        {
            var connection = writer.Connection;
            var tx = writer.Transaction;
            var current = await GetInTxAsync(connection, tx, reference, cancellationToken);
            if (current.Status == ReservationStatus.Cancelled)
            {
                var cancelledAt = await CancelledAtAsync(connection, tx, current.Reference, cancellationToken);
                var sameKey = await OperationDoneAsync(connection, tx, idempotencyKey, cancellationToken);
                return _policy.Evaluate(current, cancelledAt, alreadyCancelled: !sameKey);
            }

            ReleaseNights(writer, current.RoomType, current.CheckIn, current.CheckOut);
            var now = _time.GetUtcNow();
            var stamp = now.ToString("O", CultureInfo.InvariantCulture);
            Execute(writer, "UPDATE reservations SET status = $p1, updated_at = $p2, cancelled_at = $p2 WHERE reference = $p0",
                [current.Reference, nameof(ReservationStatus.Cancelled), stamp], cancellationToken);
            RecordOperation(writer, idempotencyKey, current.Reference, "cancel", now, cancellationToken);
            var outcome = _policy.Evaluate(current with { Status = ReservationStatus.Cancelled }, now);
            afterCommit = () => Log.ReservationCancelled(_logger, current.Reference, outcome.Free);
            return outcome;
        }, cancellationToken);
        afterCommit?.Invoke();
        return result;
    }

    /// <summary>Rooms booked per night (for tests and inspection).</summary>
    internal async Task<IReadOnlyDictionary<DateOnly, int>> BookedPerNightAsync(string roomType, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT night, booked FROM night_inventory WHERE room_type = $p0";
        cmd.Parameters.AddWithValue("$p0", roomType);
        var result = new Dictionary<DateOnly, int>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[DateOnly.ParseExact(reader.GetString(0), DateFormat, CultureInfo.InvariantCulture)] = reader.GetInt32(1);
        }

        return result;
    }

    public void Dispose() => _database.Dispose();

    private static void ValidateRange(DateOnly from, DateOnly to)
    {
        if (to.DayNumber <= from.DayNumber)
        {
            throw new ArgumentException("'to' must be after 'from'.", nameof(to));
        }

        if (to.DayNumber - from.DayNumber > PmsLimits.MaxCalendarDays)
        {
            throw new ArgumentException($"The calendar covers at most {PmsLimits.MaxCalendarDays} days.", nameof(to));
        }
    }

    private static async Task TakeNightsAsync(SqliteWriter writer, RoomTypeInfo type, DateOnly checkIn, DateOnly checkOut, CancellationToken ct)
    {
        var maxBooked = await MaxBookedAsync(writer.Connection, writer.Transaction, checkIn, checkOut, ct, type.Code);
        if (maxBooked.GetValueOrDefault(type.Code) >= type.Inventory)
        {
            throw new NoAvailabilityException(type.Code, checkIn, checkOut);
        }

        for (var night = checkIn; night < checkOut; night = night.AddDays(1))
        {
            Execute(writer, """
                INSERT INTO night_inventory(room_type, night, booked) VALUES($p0, $p1, 1)
                ON CONFLICT(room_type, night) DO UPDATE SET booked = booked + 1
                """, [type.Code, D(night)], ct);
        }
    }

    private static void ReleaseNights(SqliteWriter writer, string roomType, DateOnly checkIn, DateOnly checkOut)
    {
        Execute(writer, "UPDATE night_inventory SET booked = MAX(booked - 1, 0) WHERE room_type = $p0 AND night >= $p1 AND night < $p2",
            [roomType, D(checkIn), D(checkOut)], CancellationToken.None);
    }

    private static async Task<Dictionary<string, int>> MaxBookedAsync(SqliteConnection connection, SqliteTransaction? tx, DateOnly from, DateOnly to, CancellationToken ct, string? roomType = null)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT room_type, MAX(booked) FROM night_inventory WHERE night >= $from AND night < $to"
            + (roomType is null ? string.Empty : " AND room_type = $rt") + " GROUP BY room_type";
        cmd.Parameters.AddWithValue("$from", D(from));
        cmd.Parameters.AddWithValue("$to", D(to));
        if (roomType is not null)
        {
            cmd.Parameters.AddWithValue("$rt", roomType);
        }

        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0)] = reader.GetInt32(1);
        }

        return result;
    }

    private async Task<RoomTypeInfo> RequireRoomTypeAsync(SqliteConnection connection, SqliteTransaction tx, string code, CancellationToken ct)
    {
        var types = await LoadRoomTypesAsync(connection, tx, ct);
        return types.FirstOrDefault(t => t.Code.Equals(code.Trim(), StringComparison.OrdinalIgnoreCase)) ?? throw new UnknownRoomTypeException(code);
    }

    private static async Task<List<RoomTypeInfo>> LoadRoomTypesAsync(SqliteConnection connection, SqliteTransaction? tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT code, name, description, capacity, inventory, nightly_rate, currency, includes FROM room_types WHERE active = 1 ORDER BY sort";
        var result = new List<RoomTypeInfo>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new RoomTypeInfo(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.GetInt32(4),
                decimal.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                reader.GetString(6),
                JsonSerializer.Deserialize<string[]>(reader.GetString(7)) ?? []));
        }

        return result;
    }

    private async Task<Reservation> GetInTxAsync(SqliteConnection connection, SqliteTransaction tx, string reference, CancellationToken ct)
    {
        var found = await QueryReservationsAsync(connection, tx, "WHERE reference = $p0", [ReservationReference.Normalize(reference)], ct);
        return found.Count > 0 ? found[0] : throw new ReservationNotFoundException(reference);
    }

    private static async Task<List<Reservation>> QueryReservationsAsync(SqliteConnection connection, SqliteTransaction? tx, string whereAndOrder, IReadOnlyList<object?> args, CancellationToken ct)
    {
        await using var cmd = SqliteCommands.Create(
            connection,
            "SELECT reference, guest_name, contact, email, channel, room_type, check_in, check_out, guests, nightly_rate, total_price, currency, status, created_at, children, infants, note FROM reservations " + whereAndOrder,
            SqliteCommands.Positional(args));
        cmd.Transaction = tx;

        var result = new List<Reservation>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new Reservation
            {
                Reference = reader.GetString(0),
                GuestName = reader.GetString(1),
                Contact = reader.GetString(2),
                Email = reader.IsDBNull(3) ? null : reader.GetString(3),
                Channel = Enum.Parse<Channel>(reader.GetString(4)),
                RoomType = reader.GetString(5),
                CheckIn = DateOnly.ParseExact(reader.GetString(6), DateFormat, CultureInfo.InvariantCulture),
                CheckOut = DateOnly.ParseExact(reader.GetString(7), DateFormat, CultureInfo.InvariantCulture),
                Guests = reader.GetInt32(8),
                NightlyRate = decimal.Parse(reader.GetString(9), CultureInfo.InvariantCulture),
                TotalPrice = decimal.Parse(reader.GetString(10), CultureInfo.InvariantCulture),
                Currency = reader.GetString(11),
                Status = Enum.Parse<ReservationStatus>(reader.GetString(12)),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(13), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Children = reader.GetInt32(14),
                Infants = reader.GetInt32(15),
                Note = reader.IsDBNull(16) ? null : reader.GetString(16),
            });
        }

        return result;
    }

    private static async Task<DateTimeOffset?> CancelledAtAsync(SqliteConnection connection, SqliteTransaction tx, string reference, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT cancelled_at FROM reservations WHERE reference = $p0";
        cmd.Parameters.AddWithValue("$p0", reference);
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is string s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
    }

    private static async Task<bool> OperationDoneAsync(SqliteConnection connection, SqliteTransaction tx, string key, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT 1 FROM operations WHERE idempotency_key = $p0";
        cmd.Parameters.AddWithValue("$p0", key);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    private static void RecordOperation(SqliteWriter writer, string key, string reference, string kind, DateTimeOffset now, CancellationToken ct) =>
        Execute(writer, "INSERT INTO operations(idempotency_key, reference, kind, created_at) VALUES($p0, $p1, $p2, $p3)",
            [key, reference, kind, now.ToString("O", CultureInfo.InvariantCulture)], ct);

    private async Task<string> NewUniqueReferenceAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reference = ReservationReference.New(_referencePrefix);
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT 1 FROM reservations WHERE reference = $p0";
            cmd.Parameters.AddWithValue("$p0", reference);
            if (await cmd.ExecuteScalarAsync(ct) is null || attempt > 20)
            {
                return reference;
            }
        }
    }

    /// <summary>Runs a write statement on the writer's cached (prepared) statement for <paramref name="sql"/>.</summary>
    private static void Execute(SqliteWriter writer, string sql, IReadOnlyList<object?> args, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        writer.Execute(sql, SqliteCommands.Positional(args));
    }

    private static string D(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string M(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    /// <summary>A pooled read connection (WAL readers never wait for the writer), with the schema in place.</summary>
    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => _database.OpenReadConnectionAsync(ct);

    /// <summary>Creates the schema (WAL) and syncs room types from the hotel profile now (otherwise the first use does). Runs once per instance.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _database.EnsureInitializedAsync(cancellationToken);

    /// <summary>The schema and the room types of the hotel profile, in the first write transaction of the file's writer.</summary>
    private void SyncSchemaAndRoomTypes(SqliteWriter writer)
    {
        writer.ExecuteScript(Schema);
        // Files made before the party was kept get the columns (existing bookings: no children, no infants, no note).
        AddColumnIfMissing(writer, "children", "INTEGER NOT NULL DEFAULT 0");
        AddColumnIfMissing(writer, "infants", "INTEGER NOT NULL DEFAULT 0");
        AddColumnIfMissing(writer, "note", "TEXT NULL");
        Execute(writer, "UPDATE room_types SET active = 0", [], CancellationToken.None);
        var sort = 0;
        foreach (var rt in _profile.RoomTypes)
        {
            Execute(writer, """
                INSERT INTO room_types(code, name, description, capacity, inventory, nightly_rate, currency, includes, sort, active)
                VALUES($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, 1)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, description = excluded.description, capacity = excluded.capacity,
                    inventory = excluded.inventory, nightly_rate = excluded.nightly_rate, currency = excluded.currency,
                    includes = excluded.includes, sort = excluded.sort, active = 1
                """,
                [rt.Code.Trim().ToLowerInvariant(), rt.Name, rt.Description, rt.Capacity, Math.Max(0, rt.Inventory), M(rt.NightlyRate), _profile.Currency,
                 JsonSerializer.Serialize(rt.Includes), sort++],
                CancellationToken.None);
        }

        Log.EmbeddedReady(_logger, _path, _profile.RoomTypes.Count);
    }

    private static void AddColumnIfMissing(SqliteWriter writer, string column, string definition)
    {
        if (Convert.ToInt64(writer.Scalar($"SELECT COUNT(*) FROM pragma_table_info('reservations') WHERE name = '{column}'"), CultureInfo.InvariantCulture) == 0)
        {
            writer.ExecuteScript($"ALTER TABLE reservations ADD COLUMN {column} {definition};");
        }
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS room_types(
            code TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, capacity INTEGER NOT NULL,
            inventory INTEGER NOT NULL CHECK (inventory >= 0), nightly_rate TEXT NOT NULL, currency TEXT NOT NULL,
            includes TEXT NOT NULL, sort INTEGER NOT NULL, active INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE IF NOT EXISTS night_inventory(
            room_type TEXT NOT NULL, night TEXT NOT NULL, booked INTEGER NOT NULL CHECK (booked >= 0),
            PRIMARY KEY (room_type, night)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS reservations(
            reference TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, guest_name TEXT NOT NULL, contact TEXT NOT NULL,
            contact_norm TEXT NOT NULL, email TEXT NULL, channel TEXT NOT NULL, room_type TEXT NOT NULL, check_in TEXT NOT NULL,
            check_out TEXT NOT NULL, guests INTEGER NOT NULL, nightly_rate TEXT NOT NULL, total_price TEXT NOT NULL,
            currency TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, cancelled_at TEXT NULL,
            children INTEGER NOT NULL DEFAULT 0, infants INTEGER NOT NULL DEFAULT 0, note TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_reservations_contact ON reservations(contact_norm);
        CREATE INDEX IF NOT EXISTS ix_reservations_check_in ON reservations(check_in);
        CREATE TABLE IF NOT EXISTS operations(
            idempotency_key TEXT PRIMARY KEY, reference TEXT NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL);
        """;
}

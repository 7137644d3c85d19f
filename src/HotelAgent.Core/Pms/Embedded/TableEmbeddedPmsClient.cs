using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Pms.Embedded;

/// <summary>
/// The embedded PMS on Azure Tables (table <c>{prefix}Pms</c>), so every instance of a scaled-out app sells from one
/// inventory. The whole hotel is one partition (<c>hotel</c>): a small hotel's rooms and bookings fit it easily, and every
/// write — the nights it takes or frees, the reservation, its idempotency record, its contact index — is one entity-group
/// transaction whose inventory entities are replaced only with the ETag they were read with. Two instances racing for the
/// last room both read "1 free"; the first commit changes the ETag and the second transaction fails as a whole (412), reads
/// again and finds the room sold. Rows:
/// <c>type|{code}</c> (from the hotel profile), <c>inv|{code}|{yyyy-MM}</c> (rooms booked per night of the month),
/// <c>res|{reference}</c>, <c>op|{idempotency key}</c> (create / modify / cancel done), <c>contact|{normalized contact}|{reference}</c>.
/// </summary>
public sealed class TableEmbeddedPmsClient : IPmsClient
{
    public const string TableName = "Pms";
    private const string Partition = "hotel";
    private const string DateFormat = "yyyy-MM-dd";

    private readonly AzureStorageAccount _account;
    private readonly HotelProfile _profile;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationPolicy _policy;
    private readonly string _referencePrefix;
    private readonly Lazy<Task<TableClient>> _table;

    public TableEmbeddedPmsClient(AzureStorageAccount account, HotelProfile profile, TimeProvider time, ILogger<TableEmbeddedPmsClient>? logger = null, string? referencePrefix = null)
    {
        _account = account ?? throw new ArgumentNullException(nameof(account));
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _policy = new CancellationPolicy(profile, time);
        _referencePrefix = string.IsNullOrWhiteSpace(referencePrefix) ? ReservationReference.PrefixFromHotelName(profile.Name) : referencePrefix;
        _table = new Lazy<Task<TableClient>>(SyncRoomTypesAsync);
    }

    public async Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default) =>
        await LoadRoomTypesAsync(await TableAsync(cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var table = await TableAsync(cancellationToken);
        var types = await LoadRoomTypesAsync(table, cancellationToken);
        if (query.RoomType is { Length: > 0 } wanted && !types.Any(t => t.Code.Equals(wanted, StringComparison.OrdinalIgnoreCase)))
        {
            throw new UnknownRoomTypeException(wanted);
        }

        var candidates = types
            .Where(t => (query.RoomType is not { Length: > 0 } code || t.Code.Equals(code, StringComparison.OrdinalIgnoreCase)) && t.Capacity >= query.Guests)
            .ToList();
        var booked = await Task.WhenAll(candidates.Select(t => MaxBookedAsync(table, t.Code, query.CheckIn, query.CheckOut, cancellationToken)));
        var offers = new List<RoomOffer>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var type = candidates[i];
            var available = Math.Max(0, type.Inventory - booked[i]);
            if (available > 0)
            {
                offers.Add(new RoomOffer(type.Code, type.Name, type.Capacity, available, type.NightlyRate, query.Nights, type.NightlyRate * query.Nights, type.Currency, type.Includes));
            }
        }

        return offers.OrderBy(o => o.TotalPrice).ThenBy(o => o.Capacity).ToList();
    }

    public async Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (to.DayNumber <= from.DayNumber)
        {
            throw new ArgumentException("'to' must be after 'from'.", nameof(to));
        }

        if (to.DayNumber - from.DayNumber > PmsLimits.MaxCalendarDays)
        {
            throw new ArgumentException($"The calendar covers at most {PmsLimits.MaxCalendarDays} days.", nameof(to));
        }

        var table = await TableAsync(cancellationToken);
        var types = await LoadRoomTypesAsync(table, cancellationToken);
        var booked = await Task.WhenAll(types.Select(t => MaxBookedAsync(table, t.Code, from, to, cancellationToken)));
        return types.Select((t, i) => new RoomTypeAvailability(t.Code, t.Name, Math.Max(0, t.Inventory - booked[i]), t.NightlyRate, t.Currency)).ToList();
    }

    public async Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.IdempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.GuestName);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.Contact);
        reservation.ToStay().Validate();
        var table = await TableAsync(cancellationToken);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            if (await FindOperationAsync(table, reservation.IdempotencyKey, cancellationToken) is { } done)
            {
                var existing = await GetAsync(table, done, cancellationToken);
                Log.CreateReplayed(_logger, existing.Reservation.Reference);
                return existing.Reservation;
            }

            var type = RequireRoomType(await LoadRoomTypesAsync(table, cancellationToken), reservation.RoomType);
            NoAvailabilityException.ThrowIfOverCapacity(type.Code, type.Capacity, reservation.ToStay());

            var inventory = await InventoryChange.LoadAsync(table, [(type.Code, reservation.CheckIn, reservation.CheckOut)], cancellationToken);
            if (inventory.MaxBooked(type.Code, reservation.CheckIn, reservation.CheckOut) >= type.Inventory)
            {
                throw new NoAvailabilityException(type.Code, reservation.CheckIn, reservation.CheckOut);
            }

            inventory.Add(type.Code, reservation.CheckIn, reservation.CheckOut, +1);
            var now = _time.GetUtcNow();
            var created = Reservation.Confirm(reservation, type, ReservationReference.New(_referencePrefix), now);

            var actions = inventory.Actions();
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(created, reservation.IdempotencyKey, now, null)));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Operation(reservation.IdempotencyKey, created.Reference, "create", now)));
            foreach (var key in ContactKeys(created))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, key)));
            }

            if (await TrySubmitAsync(table, actions, cancellationToken))
            {
                Log.ReservationCreated(_logger, created.Reference, created.RoomType, created.CheckIn, created.CheckOut, PiiMask.Contact(created.Contact));
                return created;
            }
        }

        throw TableKeys.TooMuchContention("the embedded PMS inventory");
    }

    public async Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        return (await GetAsync(await TableAsync(cancellationToken), reference, cancellationToken)).Reservation;
    }

    public async Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contact);
        var table = await TableAsync(cancellationToken);
        var prefix = "contact|" + TableKeys.Escape(ContactNormalizer.NormalizeContact(contact)) + "|";
        var references = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.RowKeyPrefixFilter(Partition, prefix), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            references.Add(row.RowKey[prefix.Length..]);
        }

        var found = await Task.WhenAll(references.Distinct(StringComparer.Ordinal).Select(r => TryGetAsync(table, r, cancellationToken)));
        return found.Where(r => r is not null).Select(r => r!.Value.Reservation).OrderByDescending(r => r.CreatedAt).ToList();
    }

    public async Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new ReservationFilter();
        var table = await TableAsync(cancellationToken);
        var result = new List<Reservation>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.RowKeyPrefixFilter(Partition, "res|"), cancellationToken: cancellationToken))
        {
            var r = FromEntity(row);
            if ((filter.Status is not { } status || r.Status == status)
                && (filter.From is not { } from || r.CheckOut > from)
                && (filter.To is not { } to || r.CheckIn < to))
            {
                result.Add(r);
            }
        }

        return result.OrderBy(r => r.CheckIn).ThenBy(r => r.CreatedAt).Take(Math.Clamp(filter.Limit, 1, 5000)).ToList();
    }

    public async Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.IdempotencyKey);
        var table = await TableAsync(cancellationToken);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var (current, entity) = await GetAsync(table, reference, cancellationToken);
            if (await FindOperationAsync(table, change.IdempotencyKey, cancellationToken) is not null)
            {
                return current;
            }

            var stay = change.StayFor(current);
            var type = RequireRoomType(await LoadRoomTypesAsync(table, cancellationToken), stay.RoomType!);
            NoAvailabilityException.ThrowIfOverCapacity(type.Code, type.Capacity, stay);

            // Release the old nights, then take the new ones, in one transaction.
            var inventory = await InventoryChange.LoadAsync(
                table, [(current.RoomType, current.CheckIn, current.CheckOut), (type.Code, stay.CheckIn, stay.CheckOut)], cancellationToken);
            inventory.Add(current.RoomType, current.CheckIn, current.CheckOut, -1);
            if (inventory.MaxBooked(type.Code, stay.CheckIn, stay.CheckOut) >= type.Inventory)
            {
                throw new NoAvailabilityException(type.Code, stay.CheckIn, stay.CheckOut);
            }

            inventory.Add(type.Code, stay.CheckIn, stay.CheckOut, +1);
            var now = _time.GetUtcNow();
            var updated = current.WithStay(stay, type);
            var actions = inventory.Actions();
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace,
                ToEntity(updated, entity.GetString("IdempotencyKey") ?? string.Empty, now, null, entity.GetString("CreatedAtText")), entity.ETag));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Operation(change.IdempotencyKey, updated.Reference, "modify", now)));
            if (await TrySubmitAsync(table, actions, cancellationToken))
            {
                Log.ReservationModified(_logger, updated.Reference, updated.RoomType, updated.CheckIn, updated.CheckOut);
                return updated;
            }
        }

        throw TableKeys.TooMuchContention("the embedded PMS inventory");
    }

    public async Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var table = await TableAsync(cancellationToken);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var (current, entity) = await GetAsync(table, reference, cancellationToken);
            if (current.Status == ReservationStatus.Cancelled)
            {
                var cancelledAt = entity.GetString("CancelledAt") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : (DateTimeOffset?)null;
                var sameKey = await FindOperationAsync(table, idempotencyKey, cancellationToken) is not null;
                return _policy.Evaluate(current, cancelledAt, alreadyCancelled: !sameKey);
            }

            var inventory = await InventoryChange.LoadAsync(table, [(current.RoomType, current.CheckIn, current.CheckOut)], cancellationToken);
            inventory.Add(current.RoomType, current.CheckIn, current.CheckOut, -1);
            var now = _time.GetUtcNow();
            var cancelled = current with { Status = ReservationStatus.Cancelled };
            var actions = inventory.Actions();
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace,
                ToEntity(cancelled, entity.GetString("IdempotencyKey") ?? string.Empty, now, now, entity.GetString("CreatedAtText")), entity.ETag));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Operation(idempotencyKey, current.Reference, "cancel", now)));
            if (await TrySubmitAsync(table, actions, cancellationToken))
            {
                var outcome = _policy.Evaluate(cancelled, now);
                Log.ReservationCancelled(_logger, current.Reference, outcome.Free);
                return outcome;
            }
        }

        throw TableKeys.TooMuchContention("the embedded PMS inventory");
    }

    /// <summary>Rooms booked per night (for tests and inspection).</summary>
    internal async Task<IReadOnlyDictionary<DateOnly, int>> BookedPerNightAsync(string roomType, CancellationToken cancellationToken = default)
    {
        var table = await TableAsync(cancellationToken);
        var result = new Dictionary<DateOnly, int>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.RowKeyPrefixFilter(Partition, $"inv|{roomType}|"), cancellationToken: cancellationToken))
        {
            var month = DateOnly.ParseExact(row.RowKey[^7..] + "-01", DateFormat, CultureInfo.InvariantCulture);
            var counts = InventoryChange.Counts(row);
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] != 0)
                {
                    result[month.AddDays(i)] = counts[i];
                }
            }
        }

        return result;
    }

    /// <summary>Creates the table and syncs room types from the hotel profile now (otherwise the first use does).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => TableAsync(cancellationToken);

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.Value.WaitAsync(cancellationToken);

    /// <summary>Room types of the profile upserted (every instance writes the same values), types no longer in it deactivated.</summary>
    private async Task<TableClient> SyncRoomTypesAsync()
    {
        var table = await _account.GetTableAsync(TableName);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var actions = new List<TableTransactionAction>();
        var sort = 0;
        foreach (var rt in _profile.RoomTypes)
        {
            var code = rt.Code.Trim().ToLowerInvariant();
            codes.Add(code);
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, "type|" + code)
            {
                ["Name"] = rt.Name,
                ["Description"] = rt.Description,
                ["Capacity"] = rt.Capacity,
                ["Inventory"] = Math.Max(0, rt.Inventory),
                ["NightlyRate"] = rt.NightlyRate.ToString(CultureInfo.InvariantCulture),
                ["Currency"] = _profile.Currency,
                ["Includes"] = JsonSerializer.Serialize(rt.Includes),
                ["Sort"] = sort++,
                ["Active"] = true,
            }));
        }

        await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.RowKeyPrefixFilter(Partition, "type|"), cancellationToken: CancellationToken.None))
        {
            if (!codes.Contains(row.RowKey["type|".Length..]) && row.GetBoolean("Active") == true)
            {
                row["Active"] = false;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            }
        }

        foreach (var batch in actions.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch);
        }

        Log.EmbeddedReady(_logger, table.AccountName + "/" + table.Name, _profile.RoomTypes.Count);
        return table;
    }

    private static async Task<List<RoomTypeInfo>> LoadRoomTypesAsync(TableClient table, CancellationToken cancellationToken)
    {
        var types = new List<(int Sort, RoomTypeInfo Type)>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.RowKeyPrefixFilter(Partition, "type|"), cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Active") != true)
            {
                continue;
            }

            types.Add((row.GetInt32("Sort") ?? 0, new RoomTypeInfo(
                row.RowKey["type|".Length..],
                row.GetString("Name") ?? string.Empty,
                row.GetString("Description") ?? string.Empty,
                row.GetInt32("Capacity") ?? 0,
                row.GetInt32("Inventory") ?? 0,
                decimal.Parse(row.GetString("NightlyRate") ?? "0", CultureInfo.InvariantCulture),
                row.GetString("Currency") ?? string.Empty,
                JsonSerializer.Deserialize<string[]>(row.GetString("Includes") ?? "[]") ?? [])));
        }

        return types.OrderBy(t => t.Sort).Select(t => t.Type).ToList();
    }

    private static RoomTypeInfo RequireRoomType(IReadOnlyList<RoomTypeInfo> types, string code) =>
        types.FirstOrDefault(t => t.Code.Equals(code.Trim(), StringComparison.OrdinalIgnoreCase)) ?? throw new UnknownRoomTypeException(code);

    private static async Task<int> MaxBookedAsync(TableClient table, string roomType, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var inventory = await InventoryChange.LoadAsync(table, [(roomType, from, to)], cancellationToken);
        return inventory.MaxBooked(roomType, from, to);
    }

    private static async Task<string?> FindOperationAsync(TableClient table, string idempotencyKey, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, "op|" + TableKeys.Escape(idempotencyKey), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value?.GetString("Reference") : null;
    }

    private static TableEntity Operation(string idempotencyKey, string reference, string kind, DateTimeOffset now) =>
        new(Partition, "op|" + TableKeys.Escape(idempotencyKey))
        {
            ["Reference"] = reference,
            ["Kind"] = kind,
            ["CreatedAt"] = now.ToString("O", CultureInfo.InvariantCulture),
        };

    private static IEnumerable<string> ContactKeys(Reservation reservation)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal) { ContactNormalizer.NormalizeContact(reservation.Contact) };
        if (!string.IsNullOrWhiteSpace(reservation.Email))
        {
            keys.Add(reservation.Email.Trim().ToLowerInvariant());
        }

        return keys.Select(k => $"contact|{TableKeys.Escape(k)}|{reservation.Reference}");
    }

    /// <summary>Submits the transaction; false when an entity changed since it was read (412) or a row appeared meanwhile (409).</summary>
    private static async Task<bool> TrySubmitAsync(TableClient table, List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private static async Task<(Reservation Reservation, TableEntity Entity)?> TryGetAsync(TableClient table, string reference, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, "res|" + ReservationReference.Normalize(reference), cancellationToken: cancellationToken);
        return found.HasValue && found.Value is { } row ? (FromEntity(row), row) : null;
    }

    private static async Task<(Reservation Reservation, TableEntity Entity)> GetAsync(TableClient table, string reference, CancellationToken cancellationToken) =>
        await TryGetAsync(table, reference, cancellationToken) ?? throw new ReservationNotFoundException(reference);

    private static TableEntity ToEntity(Reservation r, string idempotencyKey, DateTimeOffset updatedAt, DateTimeOffset? cancelledAt, string? createdAtText = null) =>
        new(Partition, "res|" + r.Reference)
        {
            ["IdempotencyKey"] = idempotencyKey,
            ["GuestName"] = r.GuestName,
            ["Contact"] = r.Contact,
            ["Email"] = r.Email,
            ["Channel"] = r.Channel.ToString(),
            ["RoomType"] = r.RoomType,
            ["CheckIn"] = r.CheckIn.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["CheckOut"] = r.CheckOut.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["Guests"] = r.Guests,
            ["Children"] = r.Children,
            ["Infants"] = r.Infants,
            ["Note"] = r.Note,
            ["NightlyRate"] = r.NightlyRate.ToString(CultureInfo.InvariantCulture),
            ["TotalPrice"] = r.TotalPrice.ToString(CultureInfo.InvariantCulture),
            ["Currency"] = r.Currency,
            ["Status"] = r.Status.ToString(),
            ["CreatedAtText"] = createdAtText ?? r.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["UpdatedAt"] = updatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["CancelledAt"] = cancelledAt?.ToString("O", CultureInfo.InvariantCulture),
        };

    private static Reservation FromEntity(TableEntity row) => new()
    {
        Reference = row.RowKey["res|".Length..],
        GuestName = row.GetString("GuestName") ?? string.Empty,
        Contact = row.GetString("Contact") ?? string.Empty,
        Email = row.GetString("Email"),
        Channel = Enum.Parse<Channel>(row.GetString("Channel") ?? nameof(Channel.WhatsApp)),
        RoomType = row.GetString("RoomType") ?? string.Empty,
        CheckIn = DateOnly.ParseExact(row.GetString("CheckIn") ?? string.Empty, DateFormat, CultureInfo.InvariantCulture),
        CheckOut = DateOnly.ParseExact(row.GetString("CheckOut") ?? string.Empty, DateFormat, CultureInfo.InvariantCulture),
        Guests = row.GetInt32("Guests") ?? 0,
        Children = row.GetInt32("Children") ?? 0,
        Infants = row.GetInt32("Infants") ?? 0,
        Note = row.GetString("Note"),
        NightlyRate = decimal.Parse(row.GetString("NightlyRate") ?? "0", CultureInfo.InvariantCulture),
        TotalPrice = decimal.Parse(row.GetString("TotalPrice") ?? "0", CultureInfo.InvariantCulture),
        Currency = row.GetString("Currency") ?? string.Empty,
        Status = Enum.Parse<ReservationStatus>(row.GetString("Status") ?? nameof(ReservationStatus.Confirmed)),
        CreatedAt = DateTimeOffset.Parse(row.GetString("CreatedAtText") ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
    };

    /// <summary>
    /// The inventory months a write touches, as read (with their ETags), and the changes to them: each month entity appears
    /// once in the transaction, replaced with the ETag it was read with (or added when it did not exist).
    /// </summary>
    private sealed class InventoryChange
    {
        private readonly Dictionary<string, (TableEntity? Read, int[] Counts)> _months = new(StringComparer.Ordinal);
        private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

        public static async Task<InventoryChange> LoadAsync(TableClient table, IEnumerable<(string RoomType, DateOnly From, DateOnly To)> ranges, CancellationToken cancellationToken)
        {
            var change = new InventoryChange();
            var keys = ranges.SelectMany(r => MonthsOf(r.From, r.To).Select(m => (r.RoomType, Month: m))).Distinct().ToList();
            var reads = await Task.WhenAll(keys.Select(async k =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(k.RoomType, k.Month), cancellationToken: cancellationToken);
                return (k.RoomType, k.Month, Row: found.HasValue ? found.Value : null);
            }));
            foreach (var (roomType, month, row) in reads)
            {
                var counts = row is null ? new int[DateTime.DaysInMonth(month.Year, month.Month)] : Counts(row);
                change._months[Key(roomType, month)] = (row, counts);
            }

            return change;
        }

        public static int[] Counts(TableEntity row) =>
            (row.GetString("Booked") ?? string.Empty).Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();

        public int MaxBooked(string roomType, DateOnly from, DateOnly to)
        {
            var max = 0;
            for (var night = from; night < to; night = night.AddDays(1))
            {
                max = Math.Max(max, _months[Key(roomType, Month(night))].Counts[night.Day - 1]);
            }

            return max;
        }

        public void Add(string roomType, DateOnly from, DateOnly to, int delta)
        {
            for (var night = from; night < to; night = night.AddDays(1))
            {
                var key = Key(roomType, Month(night));
                var counts = _months[key].Counts;
                counts[night.Day - 1] = Math.Max(0, counts[night.Day - 1] + delta);
                _changed.Add(key);
            }
        }

        public List<TableTransactionAction> Actions() => _changed.Select(key =>
        {
            var (read, counts) = _months[key];
            var entity = new TableEntity(Partition, key) { ["Booked"] = string.Join(",", counts.Select(c => c.ToString(CultureInfo.InvariantCulture))) };
            return read is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, read.ETag);
        }).ToList();

        private static DateOnly Month(DateOnly day) => new(day.Year, day.Month, 1);

        private static IEnumerable<DateOnly> MonthsOf(DateOnly from, DateOnly to)
        {
            for (var month = Month(from); month < to; month = month.AddMonths(1))
            {
                yield return month;
            }
        }

        private static string Key(string roomType, DateOnly month) => $"inv|{roomType}|{month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}";
    }
}

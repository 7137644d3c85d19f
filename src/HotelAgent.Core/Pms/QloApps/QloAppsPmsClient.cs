using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>
/// <see cref="IPmsClient"/> over the QloApps webservice (PrestaShop-style REST under /api/, HTTP Basic with the key as user,
/// <c>output_format=JSON</c>). Resources: <c>room_types</c> and <c>hotel_rooms</c> (catalogue and inventory), <c>hotel_ari</c>
/// (availability, rates, inventory search; XML request body), <c>bookings</c> (create with POST, read with GET, modify and
/// cancel with PUT). See docs/pms.md for the mapping and what is unconfirmed.
/// </summary>
public sealed class QloAppsPmsClient : IPmsClient, IDisposable
{
    private const int StatusCancelled = 3;
    private const int StatusNew = 1;
    private const int PaymentAwaiting = 3;
    private static readonly TimeSpan CatalogueTtl = TimeSpan.FromMinutes(5);

    private readonly Func<HttpClient> _http;
    private readonly Uri _baseUri;
    private readonly AuthenticationHeaderValue _auth;
    private readonly QloAppsOptions _options;
    private readonly HotelProfile _profile;
    private readonly QloAppsBookingIndex _index;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationPolicy _policy;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile CatalogueSnapshot? _catalogue;

    /// <param name="http">Creates the HttpClient for each call (IHttpClientFactory in production, so handlers rotate).</param>
    public QloAppsPmsClient(Func<HttpClient> http, QloAppsOptions options, HotelProfile profile, QloAppsBookingIndex index, TimeProvider time, ILogger<QloAppsPmsClient>? logger = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _policy = new CancellationPolicy(profile, time);
        if (string.IsNullOrWhiteSpace(options.BaseUrl) || string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new InvalidOperationException("Pms__QloApps__BaseUrl and Pms__QloApps__ApiKey are required when Pms__Provider=QloApps.");
        }

        var baseUrl = options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/";
        _baseUri = new Uri(baseUrl, UriKind.Absolute);
        _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ApiKey + ":")));
    }

    private string Currency => string.IsNullOrWhiteSpace(_options.Currency) ? _profile.Currency : _options.Currency!.ToUpperInvariant();

    public async Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default)
    {
        var types = await CatalogueAsync(cancellationToken);
        return types.Select(t => new RoomTypeInfo(t.Code, t.Name, ProfileType(t.Code)?.Description ?? t.Name, t.Capacity, t.Inventory, t.Price, Currency, ProfileType(t.Code)?.Includes ?? [])).ToList();
    }

    public async Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var types = await CatalogueAsync(cancellationToken);
        QloRoomType? only = null;
        if (query.RoomType is { Length: > 0 } code)
        {
            only = types.FirstOrDefault(t => t.Code.Equals(code, StringComparison.OrdinalIgnoreCase)) ?? throw new UnknownRoomTypeException(code);
        }

        var ari = await SearchAriAsync(query.CheckIn, query.CheckOut, query.Guests, only?.IdProduct, cancellationToken);
        var offers = new List<RoomOffer>();
        foreach (var row in ari.Rows)
        {
            var type = types.FirstOrDefault(t => t.IdProduct == row.IdProduct);
            if (type is null || type.Capacity < query.Guests || row.Available <= 0 || (only is not null && only.IdProduct != type.IdProduct))
            {
                continue;
            }

            var nights = query.Nights;
            var nightly = decimal.Round(row.Total / nights, 2);
            offers.Add(new RoomOffer(type.Code, type.Name, type.Capacity, row.Available, nightly, nights, row.Total, ari.Currency ?? Currency, ProfileType(type.Code)?.Includes ?? []));
        }

        return offers.OrderBy(o => o.TotalPrice).ThenBy(o => o.Capacity).ToList();
    }

    public async Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (to.DayNumber <= from.DayNumber || to.DayNumber - from.DayNumber > PmsLimits.MaxCalendarDays)
        {
            throw new ArgumentException("Invalid calendar range.", nameof(to));
        }

        var types = await CatalogueAsync(cancellationToken);
        var ari = await SearchAriAsync(from, to, null, null, cancellationToken);
        var nights = to.DayNumber - from.DayNumber;
        return types.Select(t =>
        {
            var row = ari.Rows.FirstOrDefault(r => r.IdProduct == t.IdProduct);
            return new RoomTypeAvailability(t.Code, t.Name, row?.Available ?? 0, row is null ? t.Price : decimal.Round(row.Total / nights, 2), ari.Currency ?? Currency);
        }).ToList();
    }

    public async Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.IdempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.GuestName);
        reservation.ToStay().Validate();

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (await _index.FindByKeyAsync(reservation.IdempotencyKey, cancellationToken) is { } known)
            {
                Log.CreateReplayed(_logger, Reference(known.IdOrder));
                return await GetByOrderAsync(known.IdOrder, cancellationToken);
            }

            // A previous attempt with this key never saw its answer: look for the order it may have created.
            if (await _index.IsPendingAsync(reservation.IdempotencyKey, cancellationToken)
                && await FindOrderByRemarkAsync(RemarkFor(reservation.IdempotencyKey), cancellationToken) is { } landed)
            {
                await _index.AddAsync(Indexed(landed, reservation), cancellationToken);
                await _index.ClearPendingAsync(reservation.IdempotencyKey, cancellationToken);
                Log.CreateReplayed(_logger, Reference(landed));
                return await GetByOrderAsync(landed, cancellationToken);
            }

            var types = await CatalogueAsync(cancellationToken);
            var type = types.FirstOrDefault(t => t.Code.Equals(reservation.RoomType, StringComparison.OrdinalIgnoreCase)) ?? throw new UnknownRoomTypeException(reservation.RoomType);
            if (reservation.Guests > type.Capacity)
            {
                throw NoAvailabilityException.TooManyGuests(type.Code, reservation.CheckIn, reservation.CheckOut, type.Capacity, reservation.Guests);
            }

            var email = GuestEmail(reservation.Email, reservation.Contact);
            var (first, last) = SplitName(reservation.GuestName);
            var body = new JsonObject
            {
                ["booking"] = new JsonObject
                {
                    ["id_property"] = _options.HotelId,
                    ["currency"] = Currency,
                    ["booking_status"] = StatusNew,
                    ["payment_status"] = PaymentAwaiting,
                    ["source"] = "HotelAgent " + reservation.Channel,
                    ["remark"] = RemarkFor(reservation.IdempotencyKey),
                    ["associations"] = new JsonObject
                    {
                        ["customer_detail"] = new JsonObject
                        {
                            ["firstname"] = first,
                            ["lastname"] = last,
                            ["email"] = email,
                            ["phone"] = ContactNormalizer.IsEmail(reservation.Contact) ? string.Empty : ContactNormalizer.Normalize(reservation.Contact),
                        },
                        ["room_types"] = RoomTypesNode(type.IdProduct, reservation.CheckIn, reservation.CheckOut, reservation.Guests),
                    },
                },
            };

            await _index.MarkPendingAsync(reservation.IdempotencyKey, _time.GetUtcNow(), cancellationToken);
            using var doc = await SendAsync(HttpMethod.Post, "api/bookings", body.ToJsonString(), "application/json", reservation.RoomType, reservation.CheckIn, reservation.CheckOut, cancellationToken);
            var booking = doc.RootElement.Prop("booking") ?? throw Garbage("bookings");
            var idOrder = booking.Int("id");
            if (idOrder <= 0)
            {
                throw Garbage("bookings");
            }

            await _index.AddAsync(Indexed(idOrder, reservation), cancellationToken);
            await _index.ClearPendingAsync(reservation.IdempotencyKey, cancellationToken);
            var created = Map(booking, types, await _index.FindByOrderAsync(idOrder, cancellationToken));
            Log.ReservationCreated(_logger, created.Reference, created.RoomType, created.CheckIn, created.CheckOut, PiiMask.Contact(created.Contact));
            return created;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>How many of the newest QloApps orders are searched for a lost create.</summary>
    internal const int ReconcileWindow = 30;

    private static string RemarkFor(string idempotencyKey) => "HotelAgent idempotency key " + idempotencyKey;

    private QloAppsIndexedBooking Indexed(int idOrder, NewReservation r) =>
        new(idOrder, r.IdempotencyKey, r.GuestName.Trim(), r.Contact.Trim(), r.Email ?? (ContactNormalizer.IsEmail(r.Contact) ? r.Contact.Trim() : null), r.Channel, ReservationStatus.Confirmed, _time.GetUtcNow(), null);

    /// <summary>Searches the newest orders for one whose remarks carry <paramref name="remark"/> (the create's idempotency key).</summary>
    private async Task<int?> FindOrderByRemarkAsync(string remark, CancellationToken ct)
    {
        List<int> ids;
        using (var list = await SendAsync(HttpMethod.Get, "api/bookings", null, null, null, default, default, ct))
        {
            ids = list.RootElement.Prop("bookings").Items().Select(b => b.Int("id")).Where(id => id > 0).OrderDescending().Take(ReconcileWindow).ToList();
        }

        foreach (var id in ids)
        {
            using var doc = await SendAsync(HttpMethod.Get, "api/bookings/" + id.ToString(CultureInfo.InvariantCulture), null, null, null, default, default, ct, notFoundReference: Reference(id));
            var remarks = doc.RootElement.Prop("booking")?.Prop("associations")?.Prop("remarks").Items() ?? [];
            if (remarks.Any(r => r.ValueKind == JsonValueKind.String && r.GetString()!.Contains(remark, StringComparison.Ordinal)))
            {
                return id;
            }
        }

        return null;
    }

    public Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default) =>
        GetByOrderAsync(ParseReference(reference), cancellationToken);

    public async Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contact);
        var known = await _index.FindByContactAsync(contact, cancellationToken);
        var result = new List<Reservation>();
        foreach (var k in known)
        {
            result.Add(await GetByOrderAsync(k.IdOrder, cancellationToken));
        }

        return result;
    }

    public async Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new ReservationFilter();
        var known = await _index.ListAsync(filter.Limit, cancellationToken);
        var result = new List<Reservation>();
        foreach (var k in known)
        {
            var r = await GetByOrderAsync(k.IdOrder, cancellationToken);
            if ((filter.Status is null || r.Status == filter.Status) && (filter.From is null || r.CheckOut > filter.From) && (filter.To is null || r.CheckIn < filter.To))
            {
                result.Add(r);
            }
        }

        return result.OrderBy(r => r.CheckIn).ToList();
    }

    public async Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.IdempotencyKey);
        var idOrder = ParseReference(reference);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = await GetByOrderAsync(idOrder, cancellationToken);
            if (await _index.OperationDoneAsync(change.IdempotencyKey, cancellationToken))
            {
                return current;
            }

            if (current.Status == ReservationStatus.Cancelled)
            {
                throw new ReservationChangeRejectedException(current.Reference, "it is cancelled");
            }

            var stay = new StayQuery(change.CheckIn ?? current.CheckIn, change.CheckOut ?? current.CheckOut, change.Guests ?? current.Guests, change.RoomType ?? current.RoomType);
            stay.Validate();
            var types = await CatalogueAsync(cancellationToken);
            var type = types.FirstOrDefault(t => t.Code.Equals(stay.RoomType, StringComparison.OrdinalIgnoreCase)) ?? throw new UnknownRoomTypeException(stay.RoomType!);
            if (stay.Guests > type.Capacity)
            {
                throw NoAvailabilityException.TooManyGuests(type.Code, stay.CheckIn, stay.CheckOut, type.Capacity, stay.Guests);
            }

            using var doc = await PutBookingAsync(idOrder, current, type.IdProduct, stay.CheckIn, stay.CheckOut, stay.Guests, null, cancellationToken);
            await _index.RecordOperationAsync(change.IdempotencyKey, idOrder, "modify", cancellationToken);
            var booking = doc.RootElement.Prop("booking") ?? throw Garbage("bookings");
            var updated = Map(booking, types, await _index.FindByOrderAsync(idOrder, cancellationToken));
            Log.ReservationModified(_logger, updated.Reference, updated.RoomType, updated.CheckIn, updated.CheckOut);
            return updated;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var idOrder = ParseReference(reference);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = await GetByOrderAsync(idOrder, cancellationToken);
            if (current.Status == ReservationStatus.Cancelled)
            {
                var indexed = await _index.FindByOrderAsync(idOrder, cancellationToken);
                var sameKey = await _index.OperationDoneAsync(idempotencyKey, cancellationToken);
                return _policy.Evaluate(current, indexed?.CancelledAt, alreadyCancelled: !sameKey);
            }

            var types = await CatalogueAsync(cancellationToken);
            var type = types.FirstOrDefault(t => t.Code == current.RoomType)
                ?? throw new ReservationChangeRejectedException(current.Reference, "its QloApps room type has no canonical code (set Pms__QloApps__RoomTypeMap)");
            using (await PutBookingAsync(idOrder, current, type.IdProduct, current.CheckIn, current.CheckOut, current.Guests, StatusCancelled, cancellationToken))
            {
            }

            var now = _time.GetUtcNow();
            if (await _index.FindByOrderAsync(idOrder, cancellationToken) is null)
            {
                await _index.AddAsync(new QloAppsIndexedBooking(idOrder, "external:" + idOrder.ToString(CultureInfo.InvariantCulture), current.GuestName, current.Contact, current.Email, current.Channel, ReservationStatus.Confirmed, current.CreatedAt, null), cancellationToken);
            }

            await _index.MarkCancelledAsync(idOrder, now, cancellationToken);
            await _index.RecordOperationAsync(idempotencyKey, idOrder, "cancel", cancellationToken);
            var outcome = _policy.Evaluate(current with { Status = ReservationStatus.Cancelled }, now);
            Log.ReservationCancelled(_logger, current.Reference, outcome.Free);
            return outcome;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _writeLock.Dispose();

    private async Task<JsonDocument> PutBookingAsync(int idOrder, Reservation current, int idProduct, DateOnly checkIn, DateOnly checkOut, int guests, int? bookingStatus, CancellationToken ct)
    {
        var (first, last) = SplitName(current.GuestName);
        var booking = new JsonObject
        {
            ["id"] = idOrder,
            ["id_property"] = _options.HotelId,
            ["currency"] = current.Currency,
            ["associations"] = new JsonObject
            {
                ["customer_detail"] = new JsonObject
                {
                    ["firstname"] = first,
                    ["lastname"] = last,
                    ["email"] = GuestEmail(current.Email, current.Contact),
                    ["phone"] = ContactNormalizer.IsEmail(current.Contact) ? string.Empty : ContactNormalizer.Normalize(current.Contact),
                },
                ["room_types"] = RoomTypesNode(idProduct, checkIn, checkOut, guests),
            },
        };
        if (bookingStatus is { } status)
        {
            booking["booking_status"] = status;
        }

        return await SendAsync(HttpMethod.Put, "api/bookings/" + idOrder.ToString(CultureInfo.InvariantCulture), new JsonObject { ["booking"] = booking }.ToJsonString(), "application/json", current.RoomType, checkIn, checkOut, ct);
    }

    private static JsonArray RoomTypesNode(int idProduct, DateOnly checkIn, DateOnly checkOut, int guests) =>
    [
        new JsonObject
        {
            ["id_room_type"] = idProduct,
            ["checkin_date"] = checkIn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["checkout_date"] = checkOut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["number_of_rooms"] = 1,
            // The bookings schema names the field "adults" but QloApps' request formatter reads "adult": send both.
            ["rooms"] = new JsonArray(new JsonObject { ["adults"] = guests, ["adult"] = guests, ["child"] = 0 }),
        },
    ];

    private async Task<Reservation> GetByOrderAsync(int idOrder, CancellationToken ct)
    {
        var types = await CatalogueAsync(ct);
        using var doc = await SendAsync(HttpMethod.Get, "api/bookings/" + idOrder.ToString(CultureInfo.InvariantCulture), null, null, null, default, default, ct, notFoundReference: Reference(idOrder));
        var booking = doc.RootElement.Prop("booking") ?? throw new ReservationNotFoundException(Reference(idOrder));
        return Map(booking, types, await _index.FindByOrderAsync(idOrder, ct));
    }

    private Reservation Map(JsonElement booking, IReadOnlyList<QloRoomType> types, QloAppsIndexedBooking? indexed)
    {
        var idOrder = booking.Int("id");
        var assoc = booking.Prop("associations") ?? default;
        var customer = assoc.Prop("customer_detail") ?? default;
        var roomType = assoc.Prop("room_types").Items().FirstOrDefault();
        var idProduct = roomType.ValueKind == JsonValueKind.Object ? roomType.Int("id_room_type") : 0;
        var checkIn = roomType.ValueKind == JsonValueKind.Object ? roomType.Date("checkin_date") : null;
        var checkOut = roomType.ValueKind == JsonValueKind.Object ? roomType.Date("checkout_date") : null;
        if (checkIn is null || checkOut is null || checkOut <= checkIn)
        {
            throw Garbage("bookings");
        }

        var rooms = roomType.Prop("rooms").Items().ToList();
        var guests = rooms.Sum(r => r.Int("adults") + r.Int("child"));
        var prices = assoc.Prop("price_details") ?? default;
        var total = (prices.ValueKind == JsonValueKind.Object ? (prices.Dec("total_price_without_tax") ?? 0) + (prices.Dec("total_tax") ?? 0) : 0m);
        if (total <= 0)
        {
            total = rooms.Sum(r => (r.Dec("unit_price_without_tax") ?? 0) + (r.Dec("total_tax") ?? 0));
        }

        var nights = checkOut.Value.DayNumber - checkIn.Value.DayNumber;
        var type = types.FirstOrDefault(t => t.IdProduct == idProduct);
        var name = customer.ValueKind == JsonValueKind.Object ? $"{customer.Str("firstname")} {customer.Str("lastname")}".Replace(" -", string.Empty, StringComparison.Ordinal).Trim() : string.Empty;
        var email = customer.ValueKind == JsonValueKind.Object ? customer.Str("email") : null;
        var phone = customer.ValueKind == JsonValueKind.Object ? customer.Str("phone") : null;
        return new Reservation
        {
            Reference = Reference(idOrder),
            GuestName = indexed?.GuestName ?? name,
            Contact = indexed?.Contact ?? (string.IsNullOrWhiteSpace(phone) ? email ?? string.Empty : phone),
            Email = indexed is not null ? indexed.Email : (email is not null && email.EndsWith("@" + _options.PlaceholderEmailDomain, StringComparison.OrdinalIgnoreCase) ? null : email),
            Channel = indexed?.Channel ?? Channel.WebChat,
            RoomType = type?.Code ?? "qlo-" + idProduct.ToString(CultureInfo.InvariantCulture),
            CheckIn = checkIn.Value,
            CheckOut = checkOut.Value,
            Guests = guests > 0 ? guests : 1,
            NightlyRate = decimal.Round(total / nights, 2),
            TotalPrice = total,
            Currency = booking.Str("currency") ?? Currency,
            Status = indexed?.Status ?? ReservationStatus.Confirmed,
            CreatedAt = indexed?.CreatedAt ?? ParseBookingDate(booking.Str("booking_date")),
        };
    }

    private DateTimeOffset ParseBookingDate(string? value)
    {
        if (DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var zone = CancellationPolicy.HotelTimeZone(_profile);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        return _time.GetUtcNow();
    }

    private async Task<(string? Currency, List<AriRow> Rows)> SearchAriAsync(DateOnly from, DateOnly to, int? adults, int? idProduct, CancellationToken ct)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><qloapps><hotel_ari>");
        xml.Append(CultureInfo.InvariantCulture, $"<id_hotel>{_options.HotelId}</id_hotel>");
        if (idProduct is { } id)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<id_room_type>{id}</id_room_type>");
        }

        xml.Append(CultureInfo.InvariantCulture, $"<date_from>{from:yyyy-MM-dd}</date_from><date_to>{to:yyyy-MM-dd}</date_to>");
        xml.Append("<get_available_rooms>1</get_available_rooms>");
        if (adults is { } a)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<associations><room_occupancies><room_occupancy><adults>{a}</adults><children>0</children></room_occupancy></room_occupancies></associations>");
        }

        xml.Append("</hotel_ari></qloapps>");
        using var doc = await SendAsync(HttpMethod.Post, "api/hotel_ari", xml.ToString(), "application/xml", null, from, to, ct);
        var ari = doc.RootElement.Prop("hotel_ari") ?? throw Garbage("hotel_ari");
        var rows = new List<AriRow>();
        foreach (var rt in ari.Prop("room_types").Items())
        {
            var rooms = rt.Prop("rooms");
            var available = rooms is { } r ? r.Prop("available").Count() : 0;
            var total = rt.Dec("total_price_with_tax") ?? rt.Dec("total_price") ?? throw Garbage("hotel_ari");
            rows.Add(new AriRow(rt.Int("id_room_type"), available, total));
        }

        return (ari.Str("currency")?.ToUpperInvariant(), rows);
    }

    private async Task<IReadOnlyList<QloRoomType>> CatalogueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_catalogue is { } c && now - c.LoadedAt < CatalogueTtl)
        {
            return c.Types;
        }

        // The three catalogue reads are independent: run them together to keep the first guest turn short.
        var roomsTask = SendAsync(HttpMethod.Get, "api/hotel_rooms?display=full", null, null, null, default, default, ct);
        var occupancyTask = LoadMaxGuestsAsync(ct);
        var typesTask = SendAsync(HttpMethod.Get, "api/room_types?display=full", null, null, null, default, default, ct);
        try
        {
            await Task.WhenAll(roomsTask, occupancyTask, typesTask);
        }
        catch
        {
            foreach (var t in new[] { roomsTask, typesTask })
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
            }

            throw;
        }

        var inventory = new Dictionary<int, int>();
        using (var rooms = roomsTask.Result)
        {
            foreach (var room in rooms.RootElement.Prop("hotel_rooms").Items())
            {
                if (room.Int("id_hotel") == _options.HotelId)
                {
                    var id = room.Int("id_product");
                    inventory[id] = inventory.GetValueOrDefault(id) + 1;
                }
            }
        }

        var maxGuests = occupancyTask.Result;
        using var doc = typesTask.Result;
        var types = new List<QloRoomType>();
        foreach (var rt in doc.RootElement.Prop("room_types").Items())
        {
            var id = rt.Int("id");
            var hotel = rt.Int("id_hotel", _options.HotelId);
            if (hotel != _options.HotelId || rt.Str("active") == "0")
            {
                continue;
            }

            var name = rt.Str("name") ?? "#" + id.ToString(CultureInfo.InvariantCulture);
            var code = MapCode(id, name);
            if (code is null)
            {
                Log.QloUnmappedRoomType(_logger, id, name);
                continue;
            }

            var capacity = maxGuests.GetValueOrDefault(id);
            if (capacity <= 0)
            {
                capacity = rt.Int("adults") + rt.Int("children");
            }

            types.Add(new QloRoomType(id, code, name, Math.Max(1, capacity), inventory.GetValueOrDefault(id), rt.Dec("price") ?? 0));
        }

        _catalogue = new CatalogueSnapshot(now, types);
        return types;
    }

    /// <summary>Occupancy limits live in hotel_room_types (htl_room_type); room_types only has the base adults/children.</summary>
    private async Task<Dictionary<int, int>> LoadMaxGuestsAsync(CancellationToken ct)
    {
        var maxGuests = new Dictionary<int, int>();
        try
        {
            using var occupancy = await SendAsync(HttpMethod.Get, "api/hotel_room_types?display=full", null, null, null, default, default, ct);
            foreach (var hrt in occupancy.RootElement.Prop("hotel_room_types").Items())
            {
                var guests = hrt.Int("max_guests");
                if (guests <= 0)
                {
                    guests = hrt.Int("max_adults") + hrt.Int("max_children");
                }

                if (guests > 0)
                {
                    maxGuests[hrt.Int("id_product")] = guests;
                }
            }
        }
        catch (PmsRequestRejectedException)
        {
            // The key may not be allowed to read hotel_room_types: fall back to the base occupancy of room_types.
        }

        return maxGuests;
    }

    /// <summary>The canonical code of a QloApps room type: the settings map first, then the name.</summary>
    internal string? MapCode(int idProduct, string name)
    {
        if (_options.RoomTypeMap.TryGetValue(idProduct.ToString(CultureInfo.InvariantCulture), out var mapped) && !string.IsNullOrWhiteSpace(mapped))
        {
            return mapped.Trim().ToLowerInvariant();
        }

        var n = RemoveDiacritics(name).ToLowerInvariant();
        foreach (var p in _profile.RoomTypes)
        {
            if (RemoveDiacritics(p.Name).Equals(n, StringComparison.OrdinalIgnoreCase))
            {
                return p.Code;
            }
        }

        (string Code, string[] Words)[] rules =
        [
            ("suite", ["suite"]),
            ("ejecutiva", ["ejecutiv", "executive", "business"]),
            ("familiar", ["familiar", "family", "cuadruple", "quadruple"]),
            ("triple", ["triple"]),
            ("doble", ["doble", "double", "twin", "matrimonial", "deluxe", "superior"]),
            ("simple", ["simple", "single", "individual", "standard"]),
        ];
        foreach (var (code, words) in rules)
        {
            if (words.Any(w => n.Contains(w, StringComparison.Ordinal)))
            {
                return code;
            }
        }

        return null;
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, string? body, string? contentType, string? roomType, DateOnly checkIn, DateOnly checkOut, CancellationToken ct, string? notFoundReference = null)
    {
        var uri = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "output_format=JSON";
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, uri));
        request.Headers.Authorization = _auth;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
        }

        using var response = await _http().SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var resource = path.Split('?', '/')[1];
        if ((int)response.StatusCode >= 500)
        {
            Log.QloHttpError(_logger, (int)response.StatusCode, resource);
            throw new PmsUnavailableException($"QloApps answered {(int)response.StatusCode} for {resource}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            Log.QloHttpError(_logger, (int)response.StatusCode, resource);
            var message = ErrorMessage(text);
            if (response.StatusCode == HttpStatusCode.NotFound && notFoundReference is not null)
            {
                throw new ReservationNotFoundException(notFoundReference);
            }

            if (message.Contains("not available", StringComparison.OrdinalIgnoreCase) && roomType is not null)
            {
                throw new NoAvailabilityException(roomType, checkIn, checkOut);
            }

            if (message.Contains("Booking not found", StringComparison.OrdinalIgnoreCase) && notFoundReference is not null)
            {
                throw new ReservationNotFoundException(notFoundReference);
            }

            throw new PmsRequestRejectedException((int)response.StatusCode, $"QloApps rejected {resource} ({(int)response.StatusCode}): {SecurityElement.Escape(message)}");
        }

        try
        {
            var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw Garbage(resource);
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw new PmsUnavailableException($"QloApps sent an unreadable answer for {resource}.", e);
        }
    }

    private static string ErrorMessage(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var first = doc.RootElement.Prop("errors").Items().FirstOrDefault();
            return first.ValueKind == JsonValueKind.Object ? first.Str("message") ?? string.Empty : string.Empty;
        }
        catch (JsonException)
        {
            return text.Length > 200 ? text[..200] : text;
        }
    }

    private static PmsUnavailableException Garbage(string resource) => new($"QloApps sent an unexpected answer for {resource}.");

    private RoomTypeProfile? ProfileType(string code) => _profile.RoomTypes.FirstOrDefault(p => p.Code.Equals(code, StringComparison.OrdinalIgnoreCase));

    private string Reference(int idOrder) => _options.ReferencePrefix + "-" + idOrder.ToString(CultureInfo.InvariantCulture);

    private int ParseReference(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var r = ReservationReference.Normalize(reference);
        var prefix = _options.ReferencePrefix + "-";
        var digits = r.StartsWith(prefix, StringComparison.Ordinal) ? r[prefix.Length..] : r;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : throw new ReservationNotFoundException(reference);
    }

    private string GuestEmail(string? email, string contact)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            return email.Trim();
        }

        if (ContactNormalizer.IsEmail(contact))
        {
            return contact.Trim();
        }

        var digits = new string(contact.Where(char.IsAsciiDigit).ToArray());
        return (digits.Length > 0 ? digits : "guest") + "@" + _options.PlaceholderEmailDomain;
    }

    private static (string First, string Last) SplitName(string name)
    {
        var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            0 => ("Guest", "-"),
            1 => (parts[0], "-"),
            _ => (parts[0], parts[1]),
        };
    }

    private static string RemoveDiacritics(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        foreach (var ch in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private sealed record QloRoomType(int IdProduct, string Code, string Name, int Capacity, int Inventory, decimal Price);

    private sealed record AriRow(int IdProduct, int Available, decimal Total);

    private sealed record CatalogueSnapshot(DateTimeOffset LoadedAt, IReadOnlyList<QloRoomType> Types);
}

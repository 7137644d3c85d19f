using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>
/// <see cref="IPmsClient"/> over the QloApps 1.6 webservice (PrestaShop-style REST under /api/, HTTP Basic with the key as user,
/// <c>output_format=JSON</c>). Resources: <c>room_types</c>, <c>hotel_room_types</c> and <c>hotel_rooms</c> (catalogue,
/// occupancy limits, inventory), <c>hotel_ari</c> (availability and prices; XML request body), <c>bookings</c> (create with
/// POST, read with GET, modify and cancel with PUT), and — to read bookings when QloApps answers with PHP warnings —
/// <c>room_bookings</c> and <c>customers</c>. Behaviour checked against a real QloApps 1.6.1: see docs/pms.md.
/// </summary>
public sealed partial class QloAppsPmsClient : IPmsClient, IDisposable
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
    private readonly PmsHealth? _health;
    private readonly CancellationPolicy _policy;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile CatalogueSnapshot? _catalogue;

    /// <summary>Learned from QloApps' "Please provide a valid phone number.": later phone-less bookings fail fast.</summary>
    private volatile bool _phoneRequired;

    /// <param name="http">Creates the HttpClient for each call (IHttpClientFactory in production, so handlers rotate).</param>
    /// <param name="health">Where PHP-warning answers are reported (readiness detail).</param>
    public QloAppsPmsClient(Func<HttpClient> http, QloAppsOptions options, HotelProfile profile, QloAppsBookingIndex index, TimeProvider time,
        ILogger<QloAppsPmsClient>? logger = null, PmsHealth? health = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _health = health;
        _policy = new CancellationPolicy(profile, time);
        if (string.IsNullOrWhiteSpace(options.BaseUrl) || string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new InvalidOperationException("Pms__QloApps__BaseUrl and Pms__QloApps__ApiKey are required when Pms__Provider=QloApps.");
        }

        var baseUrl = options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/";
        _baseUri = new Uri(baseUrl, UriKind.Absolute);
        _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ApiKey + ":")));
    }

    public Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default) => ReadingAsync(async () =>
    {
        var catalogue = await CatalogueAsync(cancellationToken);
        return (IReadOnlyList<RoomTypeInfo>)catalogue.Types.Select(t => new RoomTypeInfo(
            t.Code, t.Name, t.Description, t.Capacity, t.Inventory, t.NightlyRate, catalogue.Currency, t.Includes)).ToList();
    });

    public Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default) => ReadingAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var catalogue = await CatalogueAsync(cancellationToken);
        QloRoomType? only = null;
        if (query.RoomType is { Length: > 0 } code)
        {
            only = TypeByCode(catalogue, code) ?? throw new UnknownRoomTypeException(code);
        }

        var ari = await SearchAriAsync(query.CheckIn, query.CheckOut, query.Guests, only?.IdProduct, cancellationToken);
        var currency = ResolveCurrency(ari.Currency);
        var offers = new List<RoomOffer>();
        foreach (var row in ari.Rows)
        {
            // QloApps lists every free room whatever the party size: the room type's own limits decide.
            var type = catalogue.Types.FirstOrDefault(t => t.IdProduct == row.IdProduct);
            if (type is null || type.Capacity < query.Guests || row.Available <= 0 || (only is not null && only.IdProduct != type.IdProduct))
            {
                continue;
            }

            // total_price_with_tax is what the booking will store: creates send it as price_details.total_price_with_tax.
            offers.Add(new RoomOffer(type.Code, type.Name, type.Capacity, row.Available, Normalize(decimal.Round(row.Total / query.Nights, 2)), query.Nights, Normalize(row.Total), currency, type.Includes));
        }

        return (IReadOnlyList<RoomOffer>)offers.OrderBy(o => o.TotalPrice).ThenBy(o => o.Capacity).ToList();
    });

    public Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) => ReadingAsync(async () =>
    {
        if (to.DayNumber <= from.DayNumber || to.DayNumber - from.DayNumber > PmsLimits.MaxCalendarDays)
        {
            throw new ArgumentException("Invalid calendar range.", nameof(to));
        }

        var catalogue = await CatalogueAsync(cancellationToken);
        var ari = await SearchAriAsync(from, to, null, null, cancellationToken);
        var currency = ResolveCurrency(ari.Currency);
        var nights = to.DayNumber - from.DayNumber;
        return (IReadOnlyList<RoomTypeAvailability>)catalogue.Types.Select(t =>
        {
            var row = ari.Rows.FirstOrDefault(r => r.IdProduct == t.IdProduct);
            return new RoomTypeAvailability(t.Code, t.Name, row?.Available ?? 0, row is null ? t.NightlyRate : Normalize(decimal.Round(row.Total / nights, 2)), currency);
        }).ToList();
    });

    public async Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.IdempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(reservation.GuestName);
        reservation.ToStay().Validate();

        // The key stays pending on a server error: a retry with it looks for the order before creating another one.
        return await WriteAsync(() => CreateLockedAsync(reservation, cancellationToken), cancellationToken);
    }

    private async Task<Reservation> CreateLockedAsync(NewReservation r, CancellationToken ct)
    {
        if (await _index.FindByKeyAsync(r.IdempotencyKey, ct) is { } known)
        {
            Log.CreateReplayed(_logger, Reference(known.IdOrder));
            return (await ReadAsync(known.IdOrder, ct)).Reservation;
        }

        var catalogue = await CatalogueAsync(ct);
        var type = TypeByCode(catalogue, r.RoomType) ?? throw new UnknownRoomTypeException(r.RoomType);
        NoAvailabilityException.ThrowIfOverCapacity(type.Code, type.Capacity, r.ToStay());

        var email = QloAppsGuest.Email(r.Email, r.Contact, _options.PlaceholderEmailDomain);

        // A previous attempt with this key never saw its answer: look for the order it may have written.
        if (await _index.IsPendingAsync(r.IdempotencyKey, ct)
            && await FindLandedOrderAsync(r.IdempotencyKey, type.IdProduct, r.CheckIn, r.CheckOut, email, ct) is { } landed)
        {
            return await AdoptAsync(landed, r, ct);
        }

        var phone = QloAppsGuest.Phone(r.Phone, r.Contact, r.Channel);
        if (phone is null && _phoneRequired)
        {
            throw new GuestPhoneRequiredException("QloApps requires a phone number for the guest (its \"at least one phone number\" setting).");
        }

        // Priced exactly as quoted: QloApps' webservice drops the auto-added services that hotel_ari (and so the quote)
        // includes, so the booking asks for the same total_price_with_tax, read fresh for this stay and room type.
        var ari = await SearchAriAsync(r.CheckIn, r.CheckOut, r.Guests, type.IdProduct, ct);
        var currency = ResolveCurrency(ari.Currency);
        var row = ari.Rows.FirstOrDefault(x => x.IdProduct == type.IdProduct);
        if (row is null || row.Available <= 0)
        {
            throw new NoAvailabilityException(type.Code, r.CheckIn, r.CheckOut);
        }

        var (first, last) = QloAppsGuest.Names(r.GuestName);
        var customer = new JsonObject { ["firstname"] = first, ["lastname"] = last, ["email"] = email };
        if (phone is not null)
        {
            customer["phone"] = phone;
        }

        var body = new JsonObject
        {
            ["booking"] = new JsonObject
            {
                ["id_property"] = _options.HotelId,
                ["currency"] = currency,
                ["booking_status"] = StatusNew,
                ["payment_status"] = PaymentAwaiting,
                ["source"] = "HotelAgent " + r.Channel,
                // The staff note (party, crib) goes after the key, so staff see it on the order and the key lookup still finds it.
                ["remark"] = RemarkFor(r.IdempotencyKey) + (string.IsNullOrWhiteSpace(r.Note) ? string.Empty : " | " + r.Note.Trim()),
                ["associations"] = new JsonObject
                {
                    ["customer_detail"] = customer,
                    ["price_details"] = new JsonObject { ["total_price_with_tax"] = row.Total },
                    ["room_types"] = RoomTypesNode(type.IdProduct, r.CheckIn, r.CheckOut, r.Guests),
                },
            },
        };

        await _index.MarkPendingAsync(r.IdempotencyKey, _time.GetUtcNow(), ct);
        System.Text.Json.JsonDocument doc;
        try
        {
            doc = await SendAsync(HttpMethod.Post, "api/bookings", body.ToJsonString(), ct, new QloCallContext(type.Code, r.CheckIn, r.CheckOut));
        }
        catch (QloAppsServerException e)
        {
            // A 5xx does not mean nothing was booked: on PHP 8 QloApps answers 500 with warnings AFTER writing the order.
            Log.QloCreateFailed(_logger, e.Kind.ToString());
            if (await FindLandedOrderAsync(r.IdempotencyKey, type.IdProduct, r.CheckIn, r.CheckOut, email, ct) is { } written)
            {
                return await AdoptAsync(written, r, ct);
            }

            if (e.Kind == QloFailure.Fatal)
            {
                // An empty 500 that wrote nothing is QloApps refusing this request (a PHP fatal): retrying changes nothing.
                await _index.ClearPendingAsync(r.IdempotencyKey, ct);
                throw new PmsRequestRejectedException(500, "QloApps failed on this booking with a PHP fatal error (empty HTTP 500) and booked nothing.");
            }

            throw;
        }
        catch (PmsException)
        {
            // A 4xx: QloApps validated the request and wrote nothing.
            await _index.ClearPendingAsync(r.IdempotencyKey, ct);
            throw;
        }

        using (doc)
        {
            var booking = doc.RootElement.Prop("booking") ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent an unexpected answer for bookings.");
            var idOrder = booking.Int("id");
            if (idOrder <= 0)
            {
                throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent a booking without id.");
            }

            await _index.AddAsync(Indexed(idOrder, r), ct);
            await _index.ClearPendingAsync(r.IdempotencyKey, ct);
            var created = FromBooking(booking, catalogue, await _index.FindByOrderAsync(idOrder, ct)).Reservation;
            Log.ReservationCreated(_logger, created.Reference, created.RoomType, created.CheckIn, created.CheckOut, PiiMask.Contact(created.Contact));
            return created;
        }
    }

    private async Task<Reservation> AdoptAsync(int idOrder, NewReservation r, CancellationToken ct)
    {
        await _index.AddAsync(Indexed(idOrder, r), ct);
        await _index.ClearPendingAsync(r.IdempotencyKey, ct);
        Log.CreateReplayed(_logger, Reference(idOrder));
        return (await ReadAsync(idOrder, ct)).Reservation;
    }

    private QloAppsIndexedBooking Indexed(int idOrder, NewReservation r) =>
        new(idOrder, r.IdempotencyKey, r.GuestName.Trim(), r.Contact.Trim(), r.Email ?? (ContactNormalizer.IsEmail(r.Contact) ? r.Contact.Trim() : null), r.Channel, ReservationStatus.Confirmed, _time.GetUtcNow(), null);

    public Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default) =>
        ReadingAsync(async () => (await ReadAsync(ParseReference(reference), cancellationToken)).Reservation);

    public Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default) => ReadingAsync(async () =>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contact);
        var known = await _index.FindByContactAsync(contact, cancellationToken);
        var result = new List<Reservation>();
        foreach (var k in known)
        {
            result.Add((await ReadAsync(k.IdOrder, cancellationToken)).Reservation);
        }

        return (IReadOnlyList<Reservation>)result;
    });

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default) => ReadingAsync(async () =>
    {
        filter ??= new ReservationFilter();
        var known = await _index.ListAsync(filter.Limit, cancellationToken);
        var result = new List<Reservation>();
        foreach (var k in known)
        {
            var r = (await ReadAsync(k.IdOrder, cancellationToken)).Reservation;
            if ((filter.Status is null || r.Status == filter.Status) && (filter.From is null || r.CheckOut > filter.From) && (filter.To is null || r.CheckIn < filter.To))
            {
                result.Add(r);
            }
        }

        return (IReadOnlyList<Reservation>)result.OrderBy(r => r.CheckIn).ToList();
    });

    public async Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.IdempotencyKey);
        var idOrder = ParseReference(reference);
        return await WriteAsync(() => ModifyLockedAsync(idOrder, change, cancellationToken), cancellationToken);
    }

    private async Task<Reservation> ModifyLockedAsync(int idOrder, ReservationChange change, CancellationToken ct)
    {
        var stored = await ReadAsync(idOrder, ct);
        var current = stored.Reservation;
        if (await _index.OperationDoneAsync(change.IdempotencyKey, ct))
        {
            return current;
        }

        var stay = change.StayFor(current);
        var catalogue = await CatalogueAsync(ct);
        var type = TypeByCode(catalogue, stay.RoomType!) ?? throw new UnknownRoomTypeException(stay.RoomType!);
        NoAvailabilityException.ThrowIfOverCapacity(type.Code, type.Capacity, stay);

        var sameRoomLine = type.IdProduct == stored.IdProduct && stay.CheckIn == current.CheckIn && stay.CheckOut == current.CheckOut;
        if (sameRoomLine && stay.Guests == current.Guests)
        {
            await _index.RecordOperationAsync(change.IdempotencyKey, idOrder, "modify", ct);
            return current;
        }

        decimal? total = null;
        if (!sameRoomLine)
        {
            // New room line: priced as the quote was (see CreateLockedAsync), and refused early when QloApps has no room.
            var ari = await SearchAriAsync(stay.CheckIn, stay.CheckOut, stay.Guests, type.IdProduct, ct);
            ResolveCurrency(ari.Currency);
            var row = ari.Rows.FirstOrDefault(x => x.IdProduct == type.IdProduct);
            if (row is null || row.Available <= 0)
            {
                throw new NoAvailabilityException(type.Code, stay.CheckIn, stay.CheckOut);
            }

            total = row.Total;
        }

        Reservation updated;
        try
        {
            using var doc = await PutBookingAsync(idOrder, stored, type.IdProduct, stay.CheckIn, stay.CheckOut, stay.Guests, null, total, new QloCallContext(type.Code, stay.CheckIn, stay.CheckOut, Reference(idOrder)), ct);
            var booking = doc.RootElement.Prop("booking") ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent an unexpected answer for bookings.");
            updated = FromBooking(booking, catalogue, await _index.FindByOrderAsync(idOrder, ct)).Reservation;
        }
        catch (QloAppsServerException e)
        {
            // The change may have been applied before PHP failed: read the booking back and compare.
            var after = await ReadAsync(idOrder, ct);
            if (after.IdProduct != type.IdProduct || after.Reservation.CheckIn != stay.CheckIn || after.Reservation.CheckOut != stay.CheckOut)
            {
                if (e.Kind == QloFailure.Fatal)
                {
                    throw new PmsRequestRejectedException(500, "QloApps failed on this change with a PHP fatal error (empty HTTP 500) and did not apply it.");
                }

                throw;
            }

            updated = after.Reservation;
        }

        await _index.RecordOperationAsync(change.IdempotencyKey, idOrder, "modify", ct);
        if (updated.Guests != stay.Guests)
        {
            // QloApps keeps a room line's occupancy when only the number of guests changes (answer 200, old count): the
            // caller sees the stored count and tells the guest the truth.
            Log.QloGuestCountNotApplied(_logger, updated.Reference, stay.Guests, updated.Guests);
        }

        Log.ReservationModified(_logger, updated.Reference, updated.RoomType, updated.CheckIn, updated.CheckOut);
        return updated;
    }

    public async Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var idOrder = ParseReference(reference);
        return await WriteAsync(() => CancelLockedAsync(idOrder, idempotencyKey, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs a booking write alone (writes are serialized through one lock); a QloApps server error mid-write leaves the
    /// outcome unknown.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        catch (QloAppsServerException e)
        {
            throw new PmsUnavailableException(e.Message, e, outcomeUnknown: true);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<CancellationOutcome> CancelLockedAsync(int idOrder, string idempotencyKey, CancellationToken ct)
    {
        var stored = await ReadAsync(idOrder, ct);
        var current = stored.Reservation;
        if (current.Status == ReservationStatus.Cancelled)
        {
            var indexed = await _index.FindByOrderAsync(idOrder, ct);
            var sameKey = await _index.OperationDoneAsync(idempotencyKey, ct);
            return _policy.Evaluate(current, indexed?.CancelledAt, alreadyCancelled: !sameKey);
        }

        try
        {
            // The current room line unchanged (kept as it is) and booking_status 3: QloApps cancels the order and frees the rooms.
            using (await PutBookingAsync(idOrder, stored, stored.IdProduct, current.CheckIn, current.CheckOut, stored.Adults, StatusCancelled, null, new QloCallContext(current.RoomType, current.CheckIn, current.CheckOut, current.Reference), ct))
            {
            }
        }
        catch (QloAppsServerException e)
        {
            if (!await IsCancelledInQloAppsAsync(idOrder, ct))
            {
                if (e.Kind == QloFailure.Fatal)
                {
                    throw new PmsRequestRejectedException(500, "QloApps failed on this cancellation with a PHP fatal error (empty HTTP 500) and did not apply it.");
                }

                throw;
            }
        }

        var now = _time.GetUtcNow();
        if (await _index.FindByOrderAsync(idOrder, ct) is null)
        {
            await _index.AddAsync(new QloAppsIndexedBooking(idOrder, "external:" + Id(idOrder), current.GuestName, current.Contact, current.Email, current.Channel, ReservationStatus.Confirmed, current.CreatedAt, null), ct);
        }

        await _index.MarkCancelledAsync(idOrder, now, ct);
        await _index.RecordOperationAsync(idempotencyKey, idOrder, "cancel", ct);
        var outcome = _policy.Evaluate(current with { Status = ReservationStatus.Cancelled }, now);
        Log.ReservationCancelled(_logger, current.Reference, outcome.Free);
        return outcome;
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>
    /// PUT /api/bookings/{id}: the room lines the booking should have afterwards, and the customer by email (QloApps finds the
    /// customer by it) with the phone it has: QloApps blanks a customer's phone on a PUT that leaves it out.
    /// </summary>
    private async Task<System.Text.Json.JsonDocument> PutBookingAsync(int idOrder, StoredBooking stored, int idProduct, DateOnly checkIn, DateOnly checkOut, int guests,
        int? bookingStatus, decimal? totalWithTax, QloCallContext context, CancellationToken ct)
    {
        var customer = new JsonObject { ["email"] = stored.CustomerEmail };
        if (stored.CustomerPhone is { } phone)
        {
            customer["phone"] = phone;
        }

        var associations = new JsonObject
        {
            ["customer_detail"] = customer,
            ["room_types"] = RoomTypesNode(idProduct, checkIn, checkOut, guests),
        };
        if (totalWithTax is { } total)
        {
            associations["price_details"] = new JsonObject { ["total_price_with_tax"] = total };
        }

        var booking = new JsonObject
        {
            ["id"] = idOrder,
            ["id_property"] = _options.HotelId,
            ["currency"] = stored.Reservation.Currency,
            ["associations"] = associations,
        };
        if (bookingStatus is { } status)
        {
            booking["booking_status"] = status;
        }

        return await SendAsync(HttpMethod.Put, "api/bookings/" + Id(idOrder), new JsonObject { ["booking"] = booking }.ToJsonString(), ct, context);
    }

    /// <summary>One room of the type for the stay. QloApps reads the occupancy from <c>adult</c> (singular); without it, it stores the room type's base occupancy.</summary>
    private static JsonArray RoomTypesNode(int idProduct, DateOnly checkIn, DateOnly checkOut, int guests) =>
    [
        new JsonObject
        {
            ["id_room_type"] = idProduct,
            ["checkin_date"] = checkIn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["checkout_date"] = checkOut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["number_of_rooms"] = 1,
            ["rooms"] = new JsonArray(new JsonObject { ["adult"] = guests, ["child"] = 0 }),
        },
    ];

    /// <summary>Reads turn QloApps' server failures into <see cref="PmsUnavailableException"/> (transient: retried, circuit counted).</summary>
    private static async Task<T> ReadingAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (QloAppsServerException e)
        {
            throw new PmsUnavailableException(e.Message, e);
        }
    }

    private string Reference(int idOrder) => _options.ReferencePrefix + "-" + Id(idOrder);

    private int ParseReference(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var r = ReservationReference.Normalize(reference);
        var prefix = _options.ReferencePrefix + "-";
        var digits = r.StartsWith(prefix, StringComparison.Ordinal) ? r[prefix.Length..] : r;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : throw new ReservationNotFoundException(reference);
    }
}

using System.Globalization;
using System.Text.Json;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>Reading bookings back (also when QloApps' booking GET fails with PHP warnings) and finding a create whose answer was lost.</summary>
public sealed partial class QloAppsPmsClient
{
    /// <summary>How many of the newest QloApps orders are searched for a lost create.</summary>
    internal const int ReconcileWindow = 30;

    private static string RemarkFor(string idempotencyKey) => "HotelAgent idempotency key " + idempotencyKey;

    /// <summary>
    /// One booking as QloApps stores it: <c>GET /api/bookings/{id}</c>, or — when that answers 500 with PHP warnings, as it
    /// does on every call on PHP 8 with warnings reported — its room lines from <c>GET /api/room_bookings</c>.
    /// </summary>
    private async Task<StoredBooking> ReadAsync(int idOrder, CancellationToken ct)
    {
        var catalogue = await CatalogueAsync(ct);
        var indexed = await _index.FindByOrderAsync(idOrder, ct);
        try
        {
            using var doc = await SendAsync(HttpMethod.Get, "api/bookings/" + Id(idOrder), null, ct, new QloCallContext(NotFoundReference: Reference(idOrder)));
            var booking = doc.RootElement.Prop("booking") ?? throw new ReservationNotFoundException(Reference(idOrder));
            return FromBooking(booking, catalogue, indexed);
        }
        catch (QloAppsServerException e) when (e.Kind == QloFailure.PhpWarnings)
        {
            return await ReadRoomLinesAsync(idOrder, catalogue, indexed, ct);
        }
    }

    private StoredBooking FromBooking(JsonElement booking, CatalogueSnapshot catalogue, QloAppsIndexedBooking? indexed)
    {
        var idOrder = booking.Int("id");
        var assoc = booking.Prop("associations") ?? default;
        var customer = assoc.Prop("customer_detail") ?? default;
        var line = assoc.Prop("room_types").Items().FirstOrDefault();
        var idProduct = line.ValueKind == JsonValueKind.Object ? line.Int("id_room_type") : 0;
        var checkIn = line.ValueKind == JsonValueKind.Object ? line.Date("checkin_date") : null;
        var checkOut = line.ValueKind == JsonValueKind.Object ? line.Date("checkout_date") : null;
        if (idOrder <= 0 || checkIn is null || checkOut is null || checkOut <= checkIn)
        {
            throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent a booking without its stay.");
        }

        var rooms = line.Prop("rooms").Items().ToList();
        var adults = rooms.Sum(r => r.Int("adults"));
        var guests = adults + rooms.Sum(r => r.Int("child"));
        var prices = assoc.Prop("price_details") ?? default;
        var total = prices.ValueKind == JsonValueKind.Object ? (prices.Dec("total_price_without_tax") ?? 0) + (prices.Dec("total_tax") ?? 0) : 0m;
        if (total <= 0)
        {
            total = rooms.Sum(r => (r.Dec("unit_price_without_tax") ?? 0) + (r.Dec("total_tax") ?? 0));
        }

        var has = customer.ValueKind == JsonValueKind.Object;
        var name = has ? $"{customer.Str("firstname")} {customer.Str("lastname")}".Replace(" -", string.Empty, StringComparison.Ordinal).Trim() : string.Empty;
        var email = has ? customer.Str("email") : null;
        var phone = has ? customer.Str("phone") : null;
        var reservation = Build(idOrder, idProduct, checkIn.Value, checkOut.Value, guests, total, booking.Str("currency") ?? catalogue.Currency, catalogue, indexed,
            indexed?.Status ?? ReservationStatus.Confirmed, name, string.IsNullOrWhiteSpace(phone) ? email : phone, email, ParseBookingDate(booking.Str("booking_date")));
        return new StoredBooking(reservation, email ?? string.Empty, idProduct, adults > 0 ? adults : guests, string.IsNullOrWhiteSpace(phone) ? null : phone);
    }

    /// <summary>The booking from its htl_booking_detail rows (resource room_bookings): what a PHP-warning 500 hides.</summary>
    private async Task<StoredBooking> ReadRoomLinesAsync(int idOrder, CatalogueSnapshot catalogue, QloAppsIndexedBooking? indexed, CancellationToken ct)
    {
        using var doc = await SendAsync(HttpMethod.Get, $"api/room_bookings?display=full&filter[id_order]=[{Id(idOrder)}]", null, ct);
        var lines = doc.RootElement.Prop("bookings").Items().Where(l => l.Int("id_order") == idOrder).ToList();
        if (lines.Count == 0)
        {
            throw new ReservationNotFoundException(Reference(idOrder));
        }

        var line = lines[0];
        var checkIn = line.Date("date_from") ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent a room booking without dates.");
        var checkOut = line.Date("date_to") ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent a room booking without dates.");
        var adults = line.Int("adults");
        var guests = adults + line.Int("children");
        var total = lines.Sum(l => l.Dec("total_price_tax_incl") ?? 0);
        var cancelled = lines.All(l => l.Str("is_cancelled") == "1");
        string name = indexed?.GuestName ?? string.Empty;
        string? email = indexed is null ? null : QloAppsGuest.Email(indexed.Email, indexed.Contact, _options.PlaceholderEmailDomain);
        if (indexed is null)
        {
            using var customers = await SendAsync(HttpMethod.Get, $"api/customers?display=[id,firstname,lastname,email]&filter[id]=[{Id(line.Int("id_customer"))}]", null, ct);
            var customer = customers.RootElement.Prop("customers").Items().FirstOrDefault();
            if (customer.ValueKind == JsonValueKind.Object)
            {
                name = $"{customer.Str("firstname")} {customer.Str("lastname")}".Replace(" -", string.Empty, StringComparison.Ordinal).Trim();
                email = customer.Str("email");
            }
        }

        var status = indexed?.Status ?? (cancelled ? ReservationStatus.Cancelled : ReservationStatus.Confirmed);
        var reservation = Build(idOrder, line.Int("id_product"), checkIn, checkOut, guests, total, catalogue.Currency, catalogue, indexed, status, name, email, email,
            ParseBookingDate(line.Str("date_add")));
        var phone = indexed is null ? null : QloAppsGuest.Phone(null, indexed.Contact, indexed.Channel);
        return new StoredBooking(reservation, email ?? string.Empty, line.Int("id_product"), adults > 0 ? adults : guests, phone);
    }

    /// <summary>Whether QloApps has the booking's rooms cancelled (room_bookings.is_cancelled), to confirm a cancel whose answer failed.</summary>
    private async Task<bool> IsCancelledInQloAppsAsync(int idOrder, CancellationToken ct)
    {
        using var doc = await SendAsync(HttpMethod.Get, $"api/room_bookings?display=[id,id_order,is_cancelled]&filter[id_order]=[{Id(idOrder)}]", null, ct);
        var lines = doc.RootElement.Prop("bookings").Items().Where(l => l.Int("id_order") == idOrder).ToList();
        return lines.Count > 0 && lines.All(l => l.Str("is_cancelled") == "1");
    }

    private Reservation Build(int idOrder, int idProduct, DateOnly checkIn, DateOnly checkOut, int guests, decimal total, string currency, CatalogueSnapshot catalogue,
        QloAppsIndexedBooking? indexed, ReservationStatus status, string name, string? contact, string? email, DateTimeOffset bookingDate)
    {
        var nights = checkOut.DayNumber - checkIn.DayNumber;
        var type = catalogue.Types.FirstOrDefault(t => t.IdProduct == idProduct);
        var placeholder = email is not null && email.EndsWith("@" + _options.PlaceholderEmailDomain, StringComparison.OrdinalIgnoreCase);
        return new Reservation
        {
            Reference = Reference(idOrder),
            GuestName = indexed?.GuestName ?? name,
            Contact = indexed?.Contact ?? contact ?? string.Empty,
            Email = indexed is not null ? indexed.Email : placeholder ? null : email,
            Channel = indexed?.Channel ?? Channel.WebChat,
            RoomType = type?.Code ?? "qlo-" + idProduct.ToString(CultureInfo.InvariantCulture),
            CheckIn = checkIn,
            CheckOut = checkOut,
            Guests = guests > 0 ? guests : 1,
            NightlyRate = Normalize(decimal.Round(total / nights, 2)),
            TotalPrice = Normalize(total),
            Currency = currency.ToUpperInvariant(),
            Status = status,
            CreatedAt = indexed?.CreatedAt ?? bookingDate,
        };
    }

    /// <summary>QloApps writes <c>booking_date</c> in the shop's local time (taken as the hotel's time zone).</summary>
    private DateTimeOffset ParseBookingDate(string? value)
    {
        if (DateTime.TryParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var zone = CancellationPolicy.HotelTimeZone(_profile);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        return _time.GetUtcNow();
    }

    /// <summary>
    /// The order a create with this key may have written although its answer failed: the newest orders not yet known are read
    /// looking for the key in their remarks. When QloApps cannot answer a booking GET (PHP warnings), the order is recognised
    /// instead by its customer (the email we sent), room type and dates among the room bookings of orders we do not know yet.
    /// </summary>
    private async Task<int?> FindLandedOrderAsync(string idempotencyKey, int idProduct, DateOnly checkIn, DateOnly checkOut, string email, CancellationToken ct)
    {
        var known = (await _index.ListAsync(5000, ct)).Select(b => b.IdOrder).ToHashSet();
        List<int> ids;
        using (var list = await SendAsync(HttpMethod.Get, "api/bookings", null, ct))
        {
            ids = list.RootElement.Prop("bookings").Items().Select(b => b.Int("id")).Where(id => id > 0 && !known.Contains(id))
                .OrderDescending().Take(ReconcileWindow).ToList();
        }

        var remark = RemarkFor(idempotencyKey);
        foreach (var id in ids)
        {
            try
            {
                using var doc = await SendAsync(HttpMethod.Get, "api/bookings/" + Id(id), null, ct, new QloCallContext(NotFoundReference: Reference(id)));
                var remarks = doc.RootElement.Prop("booking")?.Prop("associations")?.Prop("remarks").Items() ?? [];
                if (remarks.Any(r => r.ValueKind == JsonValueKind.String && r.GetString()!.Contains(remark, StringComparison.Ordinal)))
                {
                    return id;
                }
            }
            catch (ReservationNotFoundException)
            {
            }
            catch (QloAppsServerException e) when (e.Kind == QloFailure.PhpWarnings)
            {
                return await FindLandedOrderByStayAsync(idProduct, checkIn, checkOut, email, known, ct);
            }
        }

        return null;
    }

    private async Task<int?> FindLandedOrderByStayAsync(int idProduct, DateOnly checkIn, DateOnly checkOut, string email, HashSet<int> known, CancellationToken ct)
    {
        List<int> customers;
        using (var doc = await SendAsync(HttpMethod.Get, $"api/customers?display=[id,email]&filter[email]=[{Uri.EscapeDataString(email)}]", null, ct))
        {
            customers = doc.RootElement.Prop("customers").Items()
                .Where(c => string.Equals(c.Str("email"), email, StringComparison.OrdinalIgnoreCase)).Select(c => c.Int("id")).Where(id => id > 0).ToList();
        }

        if (customers.Count == 0)
        {
            return null;
        }

        using var lines = await SendAsync(HttpMethod.Get,
            $"api/room_bookings?display=[id,id_order,id_product,id_customer,date_from,date_to,is_cancelled]&filter[id_customer]=[{string.Join('|', customers.Select(Id))}]", null, ct);
        return lines.RootElement.Prop("bookings").Items()
            .Where(l => l.Int("id_product") == idProduct && l.Date("date_from") == checkIn && l.Date("date_to") == checkOut && l.Str("is_cancelled") != "1")
            .Select(l => l.Int("id_order"))
            .Where(id => id > 0 && !known.Contains(id))
            .Select(id => (int?)id)
            .Max();
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A booking as read back, with what a PUT needs: the customer's email and phone in QloApps, its room type and adults.</summary>
    private sealed record StoredBooking(Reservation Reservation, string CustomerEmail, int IdProduct, int Adults, string? CustomerPhone);
}

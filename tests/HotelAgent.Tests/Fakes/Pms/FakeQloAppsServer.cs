using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes.Pms;

public enum QloFault
{
    None,
    ServerError,
    Garbage,
    Slow,
}

/// <summary>
/// Loopback fake of a real QloApps 1.6.1 webservice (Kestrel on 127.0.0.1:0), seeded like QloApps' demo install
/// ("The Hotel Prime": General, Delux, Executive and Luxury Rooms, 5 rooms each, USD, 4 % tax, an auto-added
/// "Room Maintenance Fees" service of 250/night). It answers as the real server did when we recorded it (the answers
/// are kept in <c>QloAppsRecordings/</c> and <c>QloAppsFakeContractTests</c> compares shapes):
/// <list type="bullet">
/// <item>numbers as JSON numbers, except <c>price</c> ("1000.000000") and <c>hotel_ari.id_hotel</c> ("1"); empty lists as <c>[]</c>;</item>
/// <item><c>hotel_rooms</c> listed under <c>"rooms"</c>; <c>hotel_ari.rooms</c> holds only <c>available</c> (keyed by id_room, or <c>[]</c>);</item>
/// <item>hotel_ari prices include the auto-added "with room price" services; a booking made through <c>POST /api/bookings</c>
/// does not (room price + tax only) unless <c>price_details.total_price_with_tax</c> asks for more;</item>
/// <item><c>POST /api/bookings</c> answers 200; errors are HTTP 400 with <c>{"errors":[{"code":404,"message":…}]}</c>;
/// an unknown booking GET is 404 with an empty body; a bad key is 401 JSON with realm "… QloApps Webservice …";</item>
/// <item>occupancy is read from <c>adult</c> (not <c>adults</c>: missing → the room type's base occupancy) and never
/// checked against the room type's limits; a PUT that keeps room type and dates ignores a new guest count;</item>
/// <item>a name QloApps' <c>Validate::isName</c> refuses (or longer than 32) for a new customer, or a total below the
/// computed one, is a PHP fatal: an empty HTTP 500 (the second one after the order was written);</item>
/// <item><see cref="PhpWarnings"/>: PHP 8 with warnings reported, as on a default install — every bookings POST/PUT/GET
/// answers 500 with <c>[PHP Warning #2]</c> errors although the write happened, and 4xx carry a warning first.</item>
/// </list>
/// </summary>
public sealed partial class FakeQloAppsServer : LoopbackFake
{
    public const string ApiKey = "TESTKEY0123456789ABCDEFGHIJKLMNO";
    public const int HotelId = 1;
    public const decimal TaxRate = 0.04m;
    public const decimal MaintenanceFeePerNight = 250m;

    private const string Realm = "Basic realm=\"Welcome to QloApps Webservice, please enter the authentication key as the login. No password required.\"";
    private const string WarningTotalTax = "[PHP Warning #2] Undefined array key \"total_tax\" (/var/www/qloapps/classes/webservice/WebserviceSpecificManagementBookings.php, line 504)";
    private const string WarningUseTax1 = "[PHP Warning #2] Undefined variable $useTax (/var/www/qloapps/classes/webservice/WebserviceSpecificManagementBookings.php, line 3463)";
    private const string WarningUseTax2 = "[PHP Warning #2] Undefined variable $useTax (/var/www/qloapps/classes/webservice/WebserviceSpecificManagementBookings.php, line 3494)";

    private static readonly TimeZoneInfo ShopZone = TimeZoneInfo.FindSystemTimeZoneById("America/Argentina/Buenos_Aires");

    private readonly object _gate = new();
    private readonly List<FakeRoomType> _types =
    [
        new(1, "General Rooms", 1000m, [1, 2, 3, 4, 5], "GR"),
        new(2, "Delux Rooms", 1500m, [6, 7, 8, 9, 10], "DR"),
        new(3, "Executive Rooms", 2000m, [11, 12, 13, 14, 15], "ER"),
        new(4, "Luxury Rooms", 2500m, [16, 17, 18, 19, 20], "LR"),
    ];

    private readonly Dictionary<int, FakeBooking> _bookings = [];
    private readonly List<FakeCustomer> _customers = [];
    private readonly HashSet<string> _deniedResources = new(StringComparer.Ordinal);
    private int _nextOrder = 1;
    private int _nextLine = 1;
    private Action? _beforeWrite;

    private FakeQloAppsServer()
    {
    }

    public string BaseUrl => Root + "/";

    public QloFault Fault { get; set; }

    /// <summary>PHP 8 with E_WARNING reported (QloApps' default on PHP 8): bookings answers become 500 with PHP warnings.</summary>
    public bool PhpWarnings { get; set; }

    /// <summary>QloApps' "at least one phone number" setting (PS_ONE_PHONE_AT_LEAST, on in a default install).</summary>
    public bool RequirePhone { get; set; } = true;

    /// <summary>The next POST /api/bookings creates the order but answers 502 (the answer is "lost").</summary>
    public bool LoseNextCreateAnswer { get; set; }

    /// <summary>How long a <see cref="QloFault.Slow"/> answer takes; <see cref="Timeout.InfiniteTimeSpan"/>: until the client gives up.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Added to every answer (a PHP server's own latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Runs once at the next POST/PUT to /api/bookings, before QloApps validates it (e.g. someone takes the last room).</summary>
    public Action? BeforeNextBookingWrite
    {
        get => Volatile.Read(ref _beforeWrite);
        set => Volatile.Write(ref _beforeWrite, value);
    }

    /// <summary>Bodies of the POST/PUT requests to /api/bookings, in order.</summary>
    public List<JsonNode> BookingRequests { get; } = [];

    public int BookingCount
    {
        get
        {
            lock (_gate)
            {
                return _bookings.Count;
            }
        }
    }

    public static Task<FakeQloAppsServer> StartAsync() => ListenAsync(new FakeQloAppsServer());

    /// <summary>The key is not allowed to use this resource (QloApps answers 401, code 26).</summary>
    public void Deny(string resource)
    {
        lock (_gate)
        {
            _deniedResources.Add(resource);
        }
    }

    /// <summary>Changes a room type's occupancy limits (hotel_room_types: max_adults, max_children, max_guests).</summary>
    public void SetOccupancy(int idProduct, int maxAdults, int maxChildren, int maxGuests)
    {
        lock (_gate)
        {
            var i = _types.FindIndex(t => t.Id == idProduct);
            _types[i] = _types[i] with { MaxAdults = maxAdults, MaxChildren = maxChildren, MaxGuests = maxGuests };
        }
    }

    /// <summary>Sets a room type's base price (feature prices aside, what a night costs before tax).</summary>
    public void SetPrice(int idProduct, decimal price)
    {
        lock (_gate)
        {
            var i = _types.FindIndex(t => t.Id == idProduct);
            _types[i] = _types[i] with { Price = price };
        }
    }

    /// <summary>A booking made elsewhere (QloApps' own website, reception): takes a free room of the type; returns its id_order.</summary>
    public int Occupy(int idProduct, DateOnly from, DateOnly to)
    {
        lock (_gate)
        {
            var customer = _customers.FirstOrDefault(c => c.Email == "website@example.com");
            if (customer is null)
            {
                customer = new FakeCustomer(_customers.Count + 2, "Web", "Guest", "website@example.com", "+15550000000");
                _customers.Add(customer);
            }

            var booking = new FakeBooking { Id = _nextOrder++, CustomerId = customer.Id, Currency = "USD", Source = "Website", BookingDate = DateTime.UtcNow };
            booking.Lines.Add(NewLine(new JsonObject
            {
                ["id_room_type"] = idProduct,
                ["checkin_date"] = Day(from),
                ["checkout_date"] = Day(to),
                ["rooms"] = new JsonArray(new JsonObject { ["adult"] = 2 }),
            }));
            _bookings[booking.Id] = booking;
            return booking.Id;
        }
    }

    public FakeBookingView? Booking(int id)
    {
        lock (_gate)
        {
            if (!_bookings.TryGetValue(id, out var b))
            {
                return null;
            }

            var line = b.Lines[0];
            var customer = _customers.First(c => c.Id == b.CustomerId);
            return new FakeBookingView(b.Id, line.IdProduct, line.IdRoom, line.From, line.To, line.Adults, line.Children, b.Cancelled,
                b.Lines.Sum(l => l.PriceExcl + l.Tax), b.Currency, customer.FirstName, customer.LastName, customer.Email, customer.Phone, b.Remark);
        }
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, ctx.RequestAborted);
            }

            var auth = ctx.Request.Headers.Authorization.ToString();
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":"));
            if (auth != expected)
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.Headers.WWWAuthenticate = Realm;
                await WriteJsonAsync(ctx, Errors((20, "Authentification key is not active"), (21, "No permission for this authentication key")));
                return;
            }

            var segments = ctx.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var resource = segments.Length > 1 ? segments[1] : string.Empty;
            bool denied;
            lock (_gate)
            {
                denied = _deniedResources.Contains(resource);
            }

            if (denied)
            {
                ctx.Response.StatusCode = 401;
                await WriteJsonAsync(ctx, Errors((26, $"Resource of type \"{resource}\" is not allowed with this authentication key")));
                return;
            }

            if (ctx.Request.Query["output_format"] != "JSON")
            {
                ctx.Response.ContentType = "text/xml;charset=utf-8";
                await ctx.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<qloapps xmlns:xlink=\"http://www.w3.org/1999/xlink\"/>");
                return;
            }

            switch (Fault)
            {
                case QloFault.ServerError:
                    // What Apache answers when PHP or the database falls over.
                    ctx.Response.StatusCode = 500;
                    ctx.Response.ContentType = "text/html";
                    await ctx.Response.WriteAsync("<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>");
                    return;
                case QloFault.Garbage:
                    ctx.Response.ContentType = "text/html";
                    await ctx.Response.WriteAsync("<html><body>Fatal error: Allowed memory size exhausted</body></html>");
                    return;
                case QloFault.Slow:
                    await Task.Delay(SlowDelay, ctx.RequestAborted);
                    break;
            }

            await next(ctx);
        });

        app.MapGet("/api/room_types", RoomTypes);
        app.MapGet("/api/hotel_room_types", HotelRoomTypes);
        app.MapGet("/api/hotel_rooms", HotelRooms);
        app.MapPost("/api/hotel_ari", HotelAriAsync);
        app.MapPost("/api/bookings", CreateBookingAsync);
        app.MapGet("/api/bookings", ListBookings);
        app.MapGet("/api/bookings/{id:int}", GetBooking);
        app.MapPut("/api/bookings/{id:int}", UpdateBookingAsync);
        app.MapGet("/api/room_bookings", RoomBookings);
        app.MapGet("/api/customers", Customers);
    }

    // ------------------------------------------------------------------ catalogue

    private IResult RoomTypes()
    {
        lock (_gate)
        {
            return Json(new JsonObject
            {
                ["room_types"] = new JsonArray(_types.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["id_hotel"] = HotelId,
                    ["adults"] = t.Adults,
                    ["children"] = t.Children,
                    ["id_category_default"] = 8,
                    ["id_tax_rules_group"] = 1,
                    ["type"] = "virtual",
                    ["is_virtual"] = 1,
                    ["price"] = t.Price.ToString("0.000000", CultureInfo.InvariantCulture),
                    ["wholesale_price"] = "0.000000",
                    ["active"] = 1,
                    ["available_for_order"] = 1,
                    ["auto_add_to_cart"] = 0,
                    ["price_addition_type"] = 0,
                    ["show_at_front"] = 1,
                    ["link_rewrite"] = t.Name.ToLowerInvariant().Replace(' ', '-'),
                    ["name"] = t.Name,
                    ["description"] = $"<p>Make yourself at home in our spacious {t.Name}.</p>",
                    ["description_short"] = $"<p>Our {t.Name} offer space and comfort, flat-screen TVs and complimentary Wi-Fi.</p>",
                    ["associations"] = new JsonObject
                    {
                        ["hotel_rooms"] = new JsonArray(t.Rooms.Select(r => (JsonNode)new JsonObject { ["id"] = r }).ToArray()),
                        ["services"] = new JsonArray(new JsonObject { ["id"] = 5, ["price"] = null, ["id_tax_rules_group"] = null }),
                    },
                }).ToArray()),
            });
        }
    }

    private IResult HotelRoomTypes()
    {
        lock (_gate)
        {
            return Json(new JsonObject
            {
                ["hotel_room_types"] = new JsonArray(_types.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["id_product"] = t.Id,
                    ["id_hotel"] = HotelId,
                    ["adults"] = t.Adults,
                    ["children"] = t.Children,
                    ["max_adults"] = t.MaxAdults,
                    ["max_children"] = t.MaxChildren,
                    ["max_guests"] = t.MaxGuests,
                    ["min_los"] = 1,
                    ["max_los"] = 0,
                    ["associations"] = new JsonObject { ["hotel_rooms"] = new JsonArray(t.Rooms.Select(r => (JsonNode)new JsonObject { ["id"] = r }).ToArray()) },
                }).ToArray()),
            });
        }
    }

    private IResult HotelRooms()
    {
        lock (_gate)
        {
            return Json(new JsonObject
            {
                // Real QloApps lists this resource under "rooms", not "hotel_rooms".
                ["rooms"] = new JsonArray(_types.SelectMany(t => t.Rooms.Select((r, i) => (JsonNode)new JsonObject
                {
                    ["id"] = r,
                    ["id_product"] = t.Id,
                    ["id_hotel"] = HotelId,
                    ["room_num"] = $"{t.Prefix}-{101 + i}",
                    ["id_status"] = 1,
                    ["floor"] = "First",
                    ["comment"] = string.Empty,
                })).ToArray()),
            });
        }
    }

    private async Task<IResult> HotelAriAsync(HttpRequest request)
    {
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        XElement ari;
        try
        {
            ari = XDocument.Parse(body).Root!.Element("hotel_ari") ?? throw new FormatException();
        }
        catch (Exception e) when (e is System.Xml.XmlException or FormatException)
        {
            return Error(400, (127, "XML error"));
        }

        foreach (var required in new[] { "id_hotel", "date_from", "date_to" })
        {
            if (ari.Element(required) is null)
            {
                return Error(400, (41, $"parameter \"{required}\" required"));
            }
        }

        var from = DateOnly.Parse((string)ari.Element("date_from")!, CultureInfo.InvariantCulture);
        var to = DateOnly.Parse((string)ari.Element("date_to")!, CultureInfo.InvariantCulture);
        if (to <= from)
        {
            return Error(400, (85, "Validation error: \"Date to\" must be after \"date from\""));
        }

        var idHotel = (string)ari.Element("id_hotel")!;
        var header = new JsonObject
        {
            ["id_hotel"] = idHotel,
            ["date_from"] = Day(from),
            ["date_to"] = Day(to),
            ["currency"] = "USD",
        };
        if (idHotel != HotelId.ToString(CultureInfo.InvariantCulture))
        {
            return Json(new JsonObject { ["hotel_ari"] = header });
        }

        var onlyType = (int?)ari.Element("id_room_type");
        var nights = to.DayNumber - from.DayNumber;
        var types = new JsonArray();
        var totalRooms = 0;
        var totalAvailable = 0;
        lock (_gate)
        {
            // Occupancy in the request changes nothing: QloApps' ARI lists every free room whatever the party size.
            foreach (var t in _types.Where(t => onlyType is null || t.Id == onlyType))
            {
                var available = new JsonObject();
                foreach (var room in FreeRooms(t, from, to))
                {
                    available[room.ToString(CultureInfo.InvariantCulture)] = new JsonObject
                    {
                        ["id_room"] = room,
                        ["id_product"] = t.Id,
                        ["id_hotel"] = HotelId,
                        ["room_num"] = RoomNumber(t, room),
                        ["room_comment"] = string.Empty,
                        ["max_adult"] = t.MaxAdults,
                        ["max_children"] = t.MaxChildren,
                        ["max_occupancy"] = t.MaxGuests,
                    };
                }

                totalRooms += t.Rooms.Length;
                totalAvailable += available.Count;
                var night = t.Price + MaintenanceFeePerNight;
                types.Add(new JsonObject
                {
                    ["id_room_type"] = t.Id,
                    ["base_price"] = night,
                    ["base_price_with_tax"] = night * (1 + TaxRate),
                    ["total_price"] = night * nights,
                    ["total_price_with_tax"] = night * nights * (1 + TaxRate),
                    ["name"] = t.Name,
                    // Only the lists asked for (get_available_rooms); PHP's json_encode writes an empty one as [].
                    ["rooms"] = new JsonObject { ["available"] = available.Count == 0 ? new JsonArray() : available },
                });
            }
        }

        header["total_rooms"] = totalRooms;
        header["total_available_rooms"] = totalAvailable;
        header["room_types"] = types;
        return Json(new JsonObject { ["hotel_ari"] = header });
    }

    // ------------------------------------------------------------------ bookings

    private IResult ListBookings()
    {
        lock (_gate)
        {
            return Json(new JsonObject { ["bookings"] = new JsonArray(_bookings.Keys.Order().Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()) });
        }
    }

    private IResult GetBooking(int id)
    {
        lock (_gate)
        {
            if (!_bookings.TryGetValue(id, out var b))
            {
                return Results.StatusCode(404);
            }

            return PhpWarnings ? Warnings(500, [], WarningUseTax1, WarningUseTax2) : Json(BookingJson(b));
        }
    }

    private async Task<IResult> CreateBookingAsync(HttpRequest request)
    {
        var node = await ReadBookingAsync(request);
        Interlocked.Exchange(ref _beforeWrite, null)?.Invoke();
        if (node is null)
        {
            return Error(500, (127, "Invalid request."));
        }

        var warnings = RoomWarnings(node);
        var customerNode = node["associations"]?["customer_detail"];
        var rooms = node["associations"]?["room_types"] as JsonArray;
        var price = Decimal(node["associations"]?["price_details"]?["total_price_with_tax"]);
        lock (_gate)
        {
            string? error = null;
            if (node["id"] is not null)
            {
                error = "id is forbidden when adding a new resource";
            }
            else if (Text(node["currency"]) != "USD")
            {
                error = "Please provide valid currency.";
            }
            else if (customerNode is not JsonObject customerObject || customerObject.Count == 0)
            {
                error = "Customer details not found.";
            }
            else if (Int(node["id_property"]) != HotelId)
            {
                error = "Please provide a valid id_property.";
            }
            else if (string.IsNullOrWhiteSpace(Text(customerNode["firstname"])))
            {
                error = "Please provide a valid first name.";
            }
            else if (string.IsNullOrWhiteSpace(Text(customerNode["lastname"])))
            {
                error = "Please provide a valid last name.";
            }
            else if (string.IsNullOrWhiteSpace(Text(customerNode["email"])))
            {
                error = "Please provide a valid email.";
            }
            else if (RequirePhone && string.IsNullOrWhiteSpace(Text(customerNode["phone"])))
            {
                error = "Please provide a valid phone number.";
            }
            else if (rooms is null || rooms.Count == 0 || !rooms.All(r => r is not null && Bookable(r, exclude: null)))
            {
                error = "Requested room(s) not available.";
            }

            if (error is not null)
            {
                return Warnings(400, warnings, (404, error));
            }

            var email = Text(customerNode!["email"])!;
            var customer = _customers.FirstOrDefault(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase));
            if (customer is null)
            {
                var first = Text(customerNode["firstname"])!;
                var last = Text(customerNode["lastname"])!;
                if (!IsName(first) || !IsName(last) || first.Length > 32 || last.Length > 32 || !email.Contains('@', StringComparison.Ordinal))
                {
                    // Customer::add() throws "Property Customer->firstname is not valid": a PHP fatal, nothing written.
                    return Results.StatusCode(500);
                }

                customer = new FakeCustomer(_customers.Count + 2, first, last, email, Text(customerNode["phone"]) ?? string.Empty);
                _customers.Add(customer);
            }
            else
            {
                UpdateCustomer(customer, customerNode);
            }

            lock (BookingRequests)
            {
                BookingRequests.Add(node.DeepClone());
            }

            var booking = new FakeBooking
            {
                Id = _nextOrder++,
                CustomerId = customer.Id,
                Source = Text(node["source"]) ?? string.Empty,
                Remark = Text(node["remark"]),
                Currency = "USD",
                BookingDate = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ShopZone).DateTime,
            };
            foreach (var rt in rooms!)
            {
                booking.Lines.Add(NewLine(rt!));
            }

            _bookings[booking.Id] = booking;
            if (!ApplyRequestedTotal(booking, price))
            {
                return Results.StatusCode(500);
            }

            if (LoseNextCreateAnswer)
            {
                LoseNextCreateAnswer = false;
                return Results.Text("<html>502 Bad Gateway</html>", "text/html", statusCode: 502);
            }

            return PhpWarnings ? Warnings(500, warnings, WarningUseTax1, WarningUseTax2) : Json(BookingJson(booking));
        }
    }

    private async Task<IResult> UpdateBookingAsync(int id, HttpRequest request)
    {
        var node = await ReadBookingAsync(request);
        Interlocked.Exchange(ref _beforeWrite, null)?.Invoke();
        if (node is null)
        {
            return Error(500, (127, "Invalid request."));
        }

        var warnings = RoomWarnings(node);
        var rooms = node["associations"]?["room_types"] as JsonArray;
        var customerNode = node["associations"]?["customer_detail"];
        var price = Decimal(node["associations"]?["price_details"]?["total_price_with_tax"]);
        var status = Int(node["booking_status"]);
        lock (_gate)
        {
            string? error = null;
            var idInBody = Int(node["id"]);
            var email = Text(customerNode?["email"]);
            FakeCustomer? customer = null;
            if (idInBody is null or 0)
            {
                error = "id is required with PUT requests.";
            }
            else if (!_bookings.ContainsKey(idInBody.Value))
            {
                error = "Booking not found.";
            }
            else if (status is < 0 or > 4)
            {
                error = "Invalid booking status.";
            }
            else if (rooms is null || rooms.Count == 0)
            {
                error = "Rooms not found in the request.";
            }
            else if (Int(node["id_property"]) != HotelId)
            {
                error = "Please provide a valid id_property.";
            }
            else if ((customer = _customers.FirstOrDefault(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase))) is null)
            {
                error = "Customer not found.";
            }

            if (error is not null)
            {
                return Warnings(400, warnings, (404, error));
            }

            lock (BookingRequests)
            {
                BookingRequests.Add(node.DeepClone());
            }

            var booking = _bookings[idInBody!.Value];
            UpdateCustomer(customer!, customerNode!);

            // Lines with the same room type and dates are kept as they are (a new guest count is NOT applied); the others
            // are added after an availability check that still counts this booking's current rooms as taken.
            var kept = new List<FakeLine>();
            var added = new List<JsonNode>();
            foreach (var rt in rooms!)
            {
                var (idProduct, from, to) = (Int(rt!["id_room_type"]) ?? 0, ParseDay(rt["checkin_date"]), ParseDay(rt["checkout_date"]));
                var same = booking.Lines.FirstOrDefault(l => l.IdProduct == idProduct && l.From == from && l.To == to && !kept.Contains(l));
                if (same is not null)
                {
                    kept.Add(same);
                }
                else
                {
                    added.Add(rt);
                }
            }

            if (added.Any(rt => !Bookable(rt, exclude: null)))
            {
                return Warnings(400, warnings, (404, "Requested room(s) not available"));
            }

            booking.Lines.RemoveAll(l => !kept.Contains(l));
            foreach (var rt in added)
            {
                booking.Lines.Add(NewLine(rt));
            }

            if (!ApplyRequestedTotal(booking, price))
            {
                return Results.StatusCode(500);
            }

            if (status == 3)
            {
                booking.Cancelled = true;
            }

            return PhpWarnings ? Warnings(500, warnings, WarningUseTax1, WarningUseTax2) : Json(BookingJson(booking));
        }
    }

    /// <summary>WebserviceSpecificManagementBookings::manageOrderPrice: only a HIGHER total can be asked for.</summary>
    private static bool ApplyRequestedTotal(FakeBooking booking, decimal? requested)
    {
        if (requested is not { } asked || (int)asked == 0)
        {
            return true;
        }

        var total = booking.Lines.Sum(l => l.PriceExcl + l.Tax);
        if (asked < total)
        {
            // The discount branch divides by the number of invoices (none yet): DivisionByZeroError after the order was written.
            return false;
        }

        if (asked > total)
        {
            foreach (var line in booking.Lines)
            {
                var share = decimal.Round((line.PriceExcl + line.Tax) / total * asked, 2);
                var excl = decimal.Round(share / (1 + TaxRate), 2);
                line.PriceExcl = excl;
                line.Tax = share - excl;
            }
        }

        return true;
    }

    private FakeLine NewLine(JsonNode rt)
    {
        var type = _types.First(t => t.Id == Int(rt["id_room_type"]));
        var (from, to) = (ParseDay(rt["checkin_date"]), ParseDay(rt["checkout_date"]));
        var room = (rt["rooms"] as JsonArray)?.FirstOrDefault();

        // formatOccupancyInRequestData reads "adult" (singular); without it the room type's base occupancy is stored.
        var adults = Int(room?["adult"]) is { } a and > 0 ? a : type.Adults;
        var children = Int(room?["child"]) ?? type.Children;
        var excl = type.Price * (to.DayNumber - from.DayNumber);
        return new FakeLine
        {
            IdHotelBooking = _nextLine++,
            IdProduct = type.Id,
            IdRoom = FreeRooms(type, from, to).First(),
            From = from,
            To = to,
            Adults = adults,
            Children = children,
            PriceExcl = excl,
            Tax = decimal.Round(excl * TaxRate, 2),
        };
    }

    /// <summary>validateRequestedRoomTypes: the type exists and enough rooms are free (occupancy is not checked).</summary>
    private bool Bookable(JsonNode rt, int? exclude)
    {
        var type = _types.FirstOrDefault(t => t.Id == Int(rt["id_room_type"]));
        if (type is null || TryDay(rt["checkin_date"]) is not { } from || TryDay(rt["checkout_date"]) is not { } to || to <= from)
        {
            return false;
        }

        var wanted = Int(rt["number_of_rooms"]) ?? 1;
        return FreeRooms(type, from, to, exclude).Count() >= Math.Max(1, wanted);
    }

    private IEnumerable<int> FreeRooms(FakeRoomType type, DateOnly from, DateOnly to, int? exclude = null) =>
        type.Rooms.Where(r => !_bookings.Values.Any(b => b.Id != exclude && !b.Cancelled && b.Lines.Any(l => l.IdRoom == r && l.From < to && from < l.To)));

    private static void UpdateCustomer(FakeCustomer customer, JsonNode details)
    {
        // processCustomer: an existing customer keeps its names unless the new ones validate.
        if (Text(details["firstname"]) is { } f && IsName(f) && f.Length <= 32)
        {
            customer.FirstName = f;
        }

        if (Text(details["lastname"]) is { } l && IsName(l) && l.Length <= 32)
        {
            customer.LastName = l;
        }

        // The customer object QloApps loads by email has no phone, and saving it writes the phone back: a request without a
        // valid phone blanks the one the customer had (real QloApps 1.6.1 does this on every PUT that leaves it out).
        customer.Phone = Text(details["phone"]) is { Length: > 0 } p && PhoneRegex().IsMatch(p) ? p : string.Empty;
    }

    private JsonObject BookingJson(FakeBooking b)
    {
        var customer = _customers.First(c => c.Id == b.CustomerId);
        var excl = b.Lines.Sum(l => l.PriceExcl);
        var tax = b.Lines.Sum(l => l.Tax);
        return new JsonObject
        {
            ["booking"] = new JsonObject
            {
                ["id"] = b.Id,
                ["id_property"] = HotelId,
                ["currency"] = b.Currency,
                ["source"] = b.Source,
                ["booking_date"] = b.BookingDate.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ["id_language"] = 1,
                ["associations"] = new JsonObject
                {
                    ["customer_detail"] = new JsonObject
                    {
                        ["id_customer"] = customer.Id,
                        ["firstname"] = customer.FirstName,
                        ["lastname"] = customer.LastName,
                        ["email"] = customer.Email,
                        ["phone"] = customer.Phone,
                    },
                    ["price_details"] = new JsonObject { ["total_paid"] = 0, ["total_price_without_tax"] = excl, ["total_tax"] = tax },
                    ["cart_rules"] = new JsonArray(),
                    ["remarks"] = b.Remark is null ? new JsonArray() : new JsonArray(b.Remark),
                    ["room_types"] = new JsonArray(b.Lines.Select(l => (JsonNode)new JsonObject
                    {
                        ["id_room_type"] = l.IdProduct,
                        ["checkin_date"] = Day(l.From) + " 00:00:00",
                        ["checkout_date"] = Day(l.To) + " 00:00:00",
                        ["total_tax"] = l.Tax,
                        ["number_of_rooms"] = 1,
                        ["name"] = _types.First(t => t.Id == l.IdProduct).Name,
                        ["rooms"] = new JsonArray(new JsonObject
                        {
                            ["id_room"] = l.IdRoom,
                            ["id_hotel_booking"] = l.IdHotelBooking,
                            ["adults"] = l.Adults,
                            ["child"] = l.Children,
                            ["unit_price_without_tax"] = l.PriceExcl,
                            ["total_tax"] = l.Tax,
                        }),
                    }).ToArray()),
                },
            },
        };
    }

    // ------------------------------------------------------------------ other resources

    /// <summary>htl_booking_detail rows (resource room_bookings, listed under "bookings"), filterable by id_order / id_customer.</summary>
    private IResult RoomBookings(HttpRequest request)
    {
        var byOrder = Filter(request, "id_order");
        var byCustomer = Filter(request, "id_customer");
        lock (_gate)
        {
            var rows = _bookings.Values
                .Where(b => (byOrder is null || byOrder.Contains(b.Id)) && (byCustomer is null || byCustomer.Contains(b.CustomerId)))
                .SelectMany(b => b.Lines.Select(l => (b, l)))
                .OrderBy(x => x.l.IdHotelBooking)
                .Select(x => (JsonNode)new JsonObject
                {
                    ["id"] = x.l.IdHotelBooking,
                    ["id_product"] = x.l.IdProduct,
                    ["id_hotel"] = HotelId,
                    ["id_order"] = x.b.Id,
                    ["id_room"] = x.l.IdRoom,
                    ["id_customer"] = x.b.CustomerId,
                    ["booking_type"] = 1,
                    ["id_status"] = 1,
                    ["date_from"] = Day(x.l.From) + " 00:00:00",
                    ["date_to"] = Day(x.l.To) + " 00:00:00",
                    ["total_price_tax_excl"] = x.l.PriceExcl.ToString("0.000000", CultureInfo.InvariantCulture),
                    ["total_price_tax_incl"] = (x.l.PriceExcl + x.l.Tax).ToString("0.000000", CultureInfo.InvariantCulture),
                    ["is_refunded"] = x.b.Cancelled ? 1 : 0,
                    ["is_cancelled"] = x.b.Cancelled ? 1 : 0,
                    ["room_num"] = RoomNumber(_types.First(t => t.Id == x.l.IdProduct), x.l.IdRoom),
                    ["room_type_name"] = _types.First(t => t.Id == x.l.IdProduct).Name,
                    ["adults"] = x.l.Adults,
                    ["children"] = x.l.Children,
                    ["date_add"] = x.b.BookingDate.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                })
                .ToArray();

            // An empty list is a bare JSON array.
            return rows.Length == 0 ? Results.Text("[]", "application/json") : Json(new JsonObject { ["bookings"] = new JsonArray(rows) });
        }
    }

    private IResult Customers(HttpRequest request)
    {
        var email = request.Query["filter[email]"].ToString().Trim('[', ']');
        lock (_gate)
        {
            var rows = _customers.Where(c => email.Length == 0 || string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase))
                .Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["lastname"] = c.LastName, ["firstname"] = c.FirstName, ["email"] = c.Email })
                .ToArray();
            return rows.Length == 0 ? Results.Text("[]", "application/json") : Json(new JsonObject { ["customers"] = new JsonArray(rows) });
        }
    }

    // ------------------------------------------------------------------ helpers

    private static HashSet<int>? Filter(HttpRequest request, string field)
    {
        var raw = request.Query[$"filter[{field}]"].ToString();
        return raw.Length == 0 ? null : raw.Trim('[', ']').Split('|').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();
    }

    /// <summary>formatRoomInRequestData reads <c>$room['total_tax']</c> when a room has no id_tax_rules_group: a warning on PHP 8.</summary>
    private string[] RoomWarnings(JsonNode booking) =>
        PhpWarnings && (booking["associations"]?["room_types"] as JsonArray)?.Any(rt => (rt?["rooms"] as JsonArray)?.Any(r => r?["id_tax_rules_group"] is null && r?["total_tax"] is null) == true) == true
            ? [WarningTotalTax]
            : [];

    private static bool IsName(string name) => !NameRegex().IsMatch(name);

    [GeneratedRegex("[0-9!<>,;?=+()@#\"°{}_$%:]")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^\+?[\s\d.()-]*\d+$")]
    private static partial Regex PhoneRegex();

    private static string RoomNumber(FakeRoomType type, int room) => $"{type.Prefix}-{101 + Array.IndexOf(type.Rooms, room)}";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(JsonNode? node) => TryDay(node) ?? throw new FormatException("Not a date.");

    private static DateOnly? TryDay(JsonNode? node) =>
        Text(node) is { Length: >= 10 } s && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    private static int? Int(JsonNode? node) => int.TryParse(Text(node), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static decimal? Decimal(JsonNode? node) => decimal.TryParse(Text(node), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static async Task<JsonNode?> ReadBookingAsync(HttpRequest request)
    {
        try
        {
            var root = await JsonNode.ParseAsync(request.Body);
            return root?["booking"];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject Errors(params (int Code, string Message)[] errors) =>
        new() { ["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["code"] = e.Code, ["message"] = e.Message }).ToArray()) };

    private static IResult Warnings(int status, IEnumerable<string> warnings, params string[] more) =>
        Json(Errors(warnings.Concat(more).Select(w => (3, w)).ToArray()), status);

    private static IResult Warnings(int status, IEnumerable<string> warnings, (int Code, string Message) error) =>
        Json(Errors(warnings.Select(w => (3, w)).Append(error).ToArray()), status);

    private static IResult Error(int status, (int Code, string Message) error) => Json(Errors(error), status);

    private static IResult Json(JsonObject body, int status = 200) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    private static Task WriteJsonAsync(HttpContext ctx, JsonObject body)
    {
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString());
    }

    private sealed record FakeRoomType(int Id, string Name, decimal Price, int[] Rooms, string Prefix)
    {
        public int Adults { get; init; } = 2;
        public int Children { get; init; } = 2;
        public int MaxAdults { get; init; } = 2;
        public int MaxChildren { get; init; } = 2;
        public int MaxGuests { get; init; } = 4;
    }

    private sealed class FakeCustomer(int id, string firstName, string lastName, string email, string phone)
    {
        public int Id { get; } = id;
        public string FirstName { get; set; } = firstName;
        public string LastName { get; set; } = lastName;
        public string Email { get; } = email;
        public string Phone { get; set; } = phone;
    }

    private sealed class FakeLine
    {
        public int IdHotelBooking { get; init; }
        public int IdProduct { get; init; }
        public int IdRoom { get; init; }
        public DateOnly From { get; init; }
        public DateOnly To { get; init; }
        public int Adults { get; init; }
        public int Children { get; init; }
        public decimal PriceExcl { get; set; }
        public decimal Tax { get; set; }
    }

    private sealed class FakeBooking
    {
        public int Id { get; init; }
        public int CustomerId { get; init; }
        public string Source { get; init; } = string.Empty;
        public string? Remark { get; init; }
        public required string Currency { get; init; }
        public DateTime BookingDate { get; init; }
        public List<FakeLine> Lines { get; } = [];
        public bool Cancelled { get; set; }
    }
}

/// <summary>What QloApps stored for one booking (first room line), for assertions.</summary>
public sealed record FakeBookingView(
    int Id,
    int IdProduct,
    int IdRoom,
    DateOnly From,
    DateOnly To,
    int Adults,
    int Children,
    bool Cancelled,
    decimal TotalWithTax,
    string Currency,
    string FirstName,
    string LastName,
    string Email,
    string Phone,
    string? Remark);

using HotelAgent.Tests.Fakes;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Fakes.Pms;

public enum QloFault
{
    None,
    ServerError,
    Garbage,
    Slow,
}

/// <summary>
/// Loopback fake of a QloApps webservice (Kestrel on 127.0.0.1:0) answering with the JSON shapes of QloApps 1.6.x:
/// room_types / hotel_rooms lists, the hotel_ari search (XML request, JSON answer) and the bookings resource
/// (POST/GET/PUT, customer_detail / price_details / room_types associations, errors as {"errors":[{code,message}]}).
/// </summary>
public sealed class FakeQloAppsServer : IAsyncDisposable
{
    public const string ApiKey = "TESTKEY0123456789ABCDEFGHIJKLMNO";
    public const int HotelId = 1;

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeRoomType> _types =
    [
        new(1, "Habitación Simple", 1, 0, 65000m, [101, 102]),
        new(2, "Deluxe Double Room", 2, 0, 95000m, [201, 202, 203]),
        new(3, "Suite Palermo", 2, 0, 210000m, [301]),
        new(4, "Family Room", 2, 2, 150000m, [401]),
    ];

    private readonly Dictionary<int, FakeBooking> _bookings = [];
    private int _nextOrder = 100;
    private int _requests;

    private FakeQloAppsServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public QloFault Fault { get; set; }

    /// <summary>The next POST /api/bookings creates the order but answers 502 (the answer is "lost").</summary>
    public bool LoseNextCreateAnswer { get; set; }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Tax added to prices "with tax" (0.1 = 10 %).</summary>
    public decimal TaxRate { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public List<string> Log { get; } = [];

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

    public static async Task<FakeQloAppsServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeQloAppsServer(app);
        server.Map();
        await app.StartAsync();
        server.BaseUrl = LoopbackServer.BaseUrl(app) + "/";
        return server;
    }

    public FakeBooking? Booking(int id)
    {
        lock (_gate)
        {
            return _bookings.GetValueOrDefault(id);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Map()
    {
        _app.Use(async (ctx, next) =>
        {
            Interlocked.Increment(ref _requests);
            lock (Log)
            {
                Log.Add($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
            }

            var auth = ctx.Request.Headers.Authorization.ToString();
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":"));
            if (auth != expected)
            {
                ctx.Response.StatusCode = 401;
                ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"Welcome to PrestaShop Webservice, please enter the authentication key as the login. No password required.\"";
                await ctx.Response.WriteAsync("401 Unauthorized");
                return;
            }

            if (ctx.Request.Query["output_format"] != "JSON")
            {
                ctx.Response.StatusCode = 400;
                await ctx.Response.WriteAsync("<?xml version=\"1.0\"?><qloapps/>");
                return;
            }

            switch (Fault)
            {
                case QloFault.ServerError:
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("{\"errors\":[{\"code\":0,\"message\":\"Internal error\"}]}");
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

        _app.MapGet("/api/room_types", () => Json(new JsonObject { ["room_types"] = new JsonArray(_types.Select(RoomTypeJson).ToArray()) }));
        _app.MapGet("/api/hotel_rooms", () => Json(new JsonObject
        {
            ["hotel_rooms"] = new JsonArray(_types.SelectMany(t => t.Rooms.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r,
                ["id_product"] = t.Id.ToString(CultureInfo.InvariantCulture),
                ["id_hotel"] = HotelId.ToString(CultureInfo.InvariantCulture),
                ["room_num"] = "R" + r.ToString(CultureInfo.InvariantCulture),
                ["id_status"] = "1",
                ["floor"] = "1",
                ["comment"] = string.Empty,
            })).ToArray()),
        }));
        _app.MapGet("/api/hotel_room_types", () => Json(new JsonObject
        {
            ["hotel_room_types"] = new JsonArray(_types.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id + 10,
                ["id_product"] = t.Id.ToString(CultureInfo.InvariantCulture),
                ["id_hotel"] = HotelId.ToString(CultureInfo.InvariantCulture),
                ["adults"] = t.Adults.ToString(CultureInfo.InvariantCulture),
                ["children"] = t.Children.ToString(CultureInfo.InvariantCulture),
                ["max_adults"] = t.MaxGuests.ToString(CultureInfo.InvariantCulture),
                ["max_children"] = t.Children.ToString(CultureInfo.InvariantCulture),
                ["max_guests"] = t.MaxGuests.ToString(CultureInfo.InvariantCulture),
                ["min_los"] = "1",
                ["max_los"] = "0",
            }).ToArray()),
        }));
        _app.MapPost("/api/hotel_ari", HotelAriAsync);
        _app.MapPost("/api/bookings", CreateBookingAsync);
        _app.MapGet("/api/bookings", () =>
        {
            lock (_gate)
            {
                return Json(new JsonObject { ["bookings"] = new JsonArray(_bookings.Keys.Order().Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()) });
            }
        });
        _app.MapGet("/api/bookings/{id:int}", (int id) =>
        {
            lock (_gate)
            {
                return _bookings.TryGetValue(id, out var b) ? Json(BookingJson(b)) : Results.StatusCode(404);
            }
        });
        _app.MapPut("/api/bookings/{id:int}", UpdateBookingAsync);
    }

    private static JsonObject RoomTypeJson(FakeRoomType t) => new()
    {
        ["id"] = t.Id,
        ["id_manufacturer"] = "0",
        ["id_hotel"] = HotelId.ToString(CultureInfo.InvariantCulture),
        ["adults"] = t.Adults.ToString(CultureInfo.InvariantCulture),
        ["children"] = t.Children.ToString(CultureInfo.InvariantCulture),
        ["type"] = "simple",
        ["price"] = t.Price.ToString("0.000000", CultureInfo.InvariantCulture),
        ["active"] = "1",
        ["available_for_order"] = "1",
        // Multi-language fields come as [{"id","value"}] when the shop has several languages.
        ["name"] = t.Id == 3 ? new JsonArray(new JsonObject { ["id"] = "1", ["value"] = t.Name }, new JsonObject { ["id"] = "2", ["value"] = t.Name }) : t.Name,
        ["link_rewrite"] = t.Name.ToLowerInvariant().Replace(' ', '-'),
    };

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
            return Error(400, 85, "Validation error: Invalid request XML");
        }

        var from = DateOnly.Parse((string)ari.Element("date_from")!, CultureInfo.InvariantCulture);
        var to = DateOnly.Parse((string)ari.Element("date_to")!, CultureInfo.InvariantCulture);
        if (to <= from)
        {
            return Error(400, 85, "Validation error: \"Date to\" must be after \"date from\"");
        }

        var onlyType = (int?)ari.Element("id_room_type");
        var adults = (int?)ari.Element("associations")?.Element("room_occupancies")?.Element("room_occupancy")?.Element("adults");
        var nights = to.DayNumber - from.DayNumber;
        var types = new JsonArray();
        var totalAvailable = 0;
        lock (_gate)
        {
            foreach (var t in _types.Where(t => onlyType is null || t.Id == onlyType))
            {
                var available = new JsonObject();
                if (adults is null || adults <= t.Adults + t.Children)
                {
                    foreach (var room in FreeRooms(t, from, to, exclude: null))
                    {
                        available[room.ToString(CultureInfo.InvariantCulture)] = new JsonObject
                        {
                            ["id_room"] = room,
                            ["id_product"] = t.Id,
                            ["id_hotel"] = HotelId,
                            ["room_num"] = "R" + room.ToString(CultureInfo.InvariantCulture),
                        };
                        totalAvailable++;
                    }
                }

                types.Add(new JsonObject
                {
                    ["id_room_type"] = t.Id,
                    ["base_price"] = t.Price,
                    ["base_price_with_tax"] = t.Price * (1 + TaxRate),
                    ["total_price"] = t.Price * nights,
                    ["total_price_with_tax"] = t.Price * nights * (1 + TaxRate),
                    ["name"] = t.Name,
                    ["rooms"] = new JsonObject
                    {
                        // PHP's json_encode: a list keyed by id_room is an object, an empty list is [].
                        ["available"] = available.Count == 0 ? new JsonArray() : available,
                        ["partially_available"] = new JsonArray(),
                        ["booked"] = new JsonArray(),
                        ["unavailable"] = new JsonArray(),
                    },
                });
            }
        }

        return Json(new JsonObject
        {
            ["hotel_ari"] = new JsonObject
            {
                ["id_hotel"] = HotelId.ToString(CultureInfo.InvariantCulture),
                ["date_from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["date_to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["currency"] = "ARS",
                ["total_rooms"] = _types.Sum(t => t.Rooms.Length),
                ["total_available_rooms"] = totalAvailable,
                ["room_types"] = types,
            },
        });
    }

    private async Task<IResult> CreateBookingAsync(HttpRequest request)
    {
        var node = await ReadBookingAsync(request);
        if (node is null)
        {
            return Error(500, 127, "Invalid request.");
        }

        if (node["id"] is not null)
        {
            return Error(400, 404, "id is forbidden when adding a new resource");
        }

        if ((string?)node["currency"] != "ARS")
        {
            return Error(400, 404, "Please provide valid currency.");
        }

        var customer = node["associations"]?["customer_detail"];
        if (customer is null || string.IsNullOrWhiteSpace((string?)customer["firstname"]) || string.IsNullOrWhiteSpace((string?)customer["lastname"]) || string.IsNullOrWhiteSpace((string?)customer["email"]))
        {
            return Error(400, 404, "Please provide a valid first name.");
        }

        if ((int?)node["id_property"] != HotelId)
        {
            return Error(400, 404, "Please provide a valid id_property.");
        }

        var rt = node["associations"]?["room_types"]?[0];
        if (rt is null)
        {
            return Error(400, 404, "Requested room(s) not available.");
        }

        lock (_gate)
        {
            var booking = new FakeBooking { Id = _nextOrder++, Customer = customer.DeepClone().AsObject(), Source = (string?)node["source"] ?? string.Empty, Remark = (string?)node["remark"] };
            if (!Assign(booking, rt))
            {
                _nextOrder--;
                return Error(400, 404, "Requested room(s) not available.");
            }

            _bookings[booking.Id] = booking;
            if (LoseNextCreateAnswer)
            {
                LoseNextCreateAnswer = false;
                return Results.Text("<html>502 Bad Gateway</html>", "text/html", statusCode: 502);
            }

            return Results.Text(BookingJson(booking).ToJsonString(), "application/json", statusCode: 201);
        }
    }

    private async Task<IResult> UpdateBookingAsync(int id, HttpRequest request)
    {
        var node = await ReadBookingAsync(request);
        if (node is null)
        {
            return Error(500, 127, "Invalid request.");
        }

        lock (_gate)
        {
            if ((int?)node["id"] != id || !_bookings.TryGetValue(id, out var booking))
            {
                return Error(400, 404, "Booking not found.");
            }

            var rt = node["associations"]?["room_types"]?[0];
            if (rt is null)
            {
                return Error(400, 404, "Rooms not found in the request.");
            }

            if ((string?)node["associations"]?["customer_detail"]?["email"] != (string?)booking.Customer["email"])
            {
                return Error(400, 404, "Customer not found.");
            }

            if ((int?)node["booking_status"] == 3)
            {
                booking.Cancelled = true;
                return Json(BookingJson(booking));
            }

            var snapshot = (booking.IdProduct, booking.IdRoom, booking.From, booking.To, booking.Adults);
            booking.IdRoom = 0; // release the old nights before checking the new ones
            if (!Assign(booking, rt))
            {
                (booking.IdProduct, booking.IdRoom, booking.From, booking.To, booking.Adults) = snapshot;
                return Error(400, 404, "Requested room(s) not available");
            }

            return Json(BookingJson(booking));
        }
    }

    private bool Assign(FakeBooking booking, JsonNode rt)
    {
        var idProduct = (int?)rt["id_room_type"] ?? 0;
        var type = _types.FirstOrDefault(t => t.Id == idProduct);
        var from = DateOnly.Parse((string)rt["checkin_date"]!, CultureInfo.InvariantCulture);
        var to = DateOnly.Parse((string)rt["checkout_date"]!, CultureInfo.InvariantCulture);
        // Like QloApps' formatOccupancyInRequestData: reads "adult", falls back to the type's base occupancy.
        var adults = (int?)rt["rooms"]?[0]?["adult"] ?? type?.Adults ?? 1;
        if (type is null || to <= from)
        {
            return false;
        }

        var room = FreeRooms(type, from, to, booking.Id).FirstOrDefault();
        if (room == 0)
        {
            return false;
        }

        booking.IdProduct = type.Id;
        booking.IdRoom = room;
        booking.From = from;
        booking.To = to;
        booking.Adults = adults;
        booking.Total = type.Price * (to.DayNumber - from.DayNumber);
        booking.Tax = booking.Total * TaxRate;
        return true;
    }

    private IEnumerable<int> FreeRooms(FakeRoomType type, DateOnly from, DateOnly to, int? exclude) =>
        type.Rooms.Where(r => !_bookings.Values.Any(b => b.Id != exclude && !b.Cancelled && b.IdRoom == r && b.From < to && from < b.To));

    private JsonObject BookingJson(FakeBooking b)
    {
        var type = _types.First(t => t.Id == b.IdProduct);
        return new JsonObject
        {
            ["booking"] = new JsonObject
            {
                ["id"] = b.Id,
                ["id_property"] = HotelId,
                ["currency"] = "ARS",
                ["source"] = b.Source,
                ["booking_date"] = "2026-11-21 18:30:00",
                ["id_language"] = 1,
                ["associations"] = new JsonObject
                {
                    ["customer_detail"] = b.Customer.DeepClone(),
                    ["price_details"] = new JsonObject { ["total_paid"] = 0, ["total_price_without_tax"] = b.Total, ["total_tax"] = b.Tax },
                    ["cart_rules"] = new JsonArray(),
                    ["remarks"] = b.Remark is null ? new JsonArray() : new JsonArray(b.Remark),
                    ["room_types"] = new JsonArray(new JsonObject
                    {
                        ["id_room_type"] = b.IdProduct,
                        ["checkin_date"] = b.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00",
                        ["checkout_date"] = b.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00",
                        ["total_tax"] = b.Tax,
                        ["number_of_rooms"] = 1,
                        ["name"] = type.Name,
                        ["rooms"] = new JsonArray(new JsonObject
                        {
                            ["id_room"] = b.IdRoom,
                            ["id_hotel_booking"] = b.Id * 10,
                            ["adults"] = b.Adults,
                            ["child"] = 0,
                            ["unit_price_without_tax"] = b.Total,
                            ["total_tax"] = b.Tax,
                        }),
                    }),
                },
            },
        };
    }

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

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json");

    private static IResult Error(int status, int code, string message) =>
        Results.Text(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) }.ToJsonString(), "application/json", statusCode: status);

    private sealed record FakeRoomType(int Id, string Name, int Adults, int Children, decimal Price, int[] Rooms)
    {
        public int MaxGuests => Adults + Children;
    }

    public sealed class FakeBooking
    {
        public int Id { get; init; }
        public required JsonObject Customer { get; init; }
        public string Source { get; init; } = string.Empty;
        public string? Remark { get; init; }
        public int IdProduct { get; set; }
        public int IdRoom { get; set; }
        public DateOnly From { get; set; }
        public DateOnly To { get; set; }
        public int Adults { get; set; }
        public decimal Total { get; set; }
        public decimal Tax { get; set; }
        public bool Cancelled { get; set; }
    }
}

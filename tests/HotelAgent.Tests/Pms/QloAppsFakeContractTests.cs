using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Pms;

/// <summary>
/// The fake QloApps against answers recorded from a real QloApps 1.6.1 (PHP 8.2, MariaDB 10.11, Apache, demo data;
/// <c>Fakes/Pms/QloAppsRecordings</c>, see docs/pms.md): the same status codes, the same error bodies, and for data the same
/// shapes — every field the fake writes exists in the real answer with the same JSON kind (number vs string, [] vs {}).
/// </summary>
public sealed partial class QloAppsFakeContractTests : IAsyncLifetime
{
    private const string OtherKey = "WRONGKEY0123456789ABCDEFGHIJKLMN";
    private FakeQloAppsServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeQloAppsServer.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("room_types.200.json", "api/room_types?display=full")]
    [InlineData("hotel_room_types.200.json", "api/hotel_room_types?display=full")]
    [InlineData("hotel_rooms.200.json", "api/hotel_rooms?display=full")]
    [InlineData("bookings_list.200.json", "api/bookings")]
    [InlineData("bookings_get.200.json", "api/bookings/1")]
    [InlineData("room_bookings.200.json", "api/room_bookings?display=full&filter[id_order]=[1]")]
    [InlineData("customers.200.json", "api/customers?display=[id,email,firstname,lastname]&filter[email]=[5491155551234@guests.hotelagent.invalid]")]
    public async Task Reads_have_the_real_shapes(string recording, string path)
    {
        await BookAsync(Booking());

        var (status, body) = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertSameShape(Recorded(recording), JsonNode.Parse(body)!, "$");
    }

    [Fact]
    public async Task Hotel_ari_has_the_real_shapes_free_and_sold_out()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "api/hotel_ari", Ari("2027-03-10", "2027-03-12"));
        Assert.Equal(HttpStatusCode.OK, status);
        AssertSameShape(Recorded("hotel_ari.200.json"), JsonNode.Parse(body)!, "$");

        for (var i = 0; i < 5; i++)
        {
            _server.Occupy(4, new DateOnly(2027, 4, 1), new DateOnly(2027, 4, 3));
        }

        var (_, soldOut) = await SendAsync(HttpMethod.Post, "api/hotel_ari", Ari("2027-04-01", "2027-04-03", "<id_room_type>4</id_room_type>"));
        AssertSameShape(Recorded("hotel_ari_sold_out.200.json"), JsonNode.Parse(soldOut)!, "$");
        Assert.Equal("[]", JsonNode.Parse(soldOut)!["hotel_ari"]!["room_types"]![0]!["rooms"]!["available"]!.ToJsonString());
    }

    [Fact]
    public async Task Booking_writes_answer_200_with_the_real_shapes()
    {
        var (created, createdBody) = await SendAsync(HttpMethod.Post, "api/bookings", Booking().ToJsonString());
        Assert.Equal(HttpStatusCode.OK, created);
        AssertSameShape(Recorded("bookings_post.200.json"), JsonNode.Parse(createdBody)!, "$");

        var change = Put(1, "5491155551234@guests.hotelagent.invalid", 2, "2027-04-01", "2027-04-03");
        var (updated, updatedBody) = await SendAsync(HttpMethod.Put, "api/bookings/1", change.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, updated);
        AssertSameShape(Recorded("bookings_put.200.json"), JsonNode.Parse(updatedBody)!, "$");
    }

    [Fact]
    public async Task Errors_are_the_real_errors()
    {
        var ars = Booking();
        ars["booking"]!["currency"] = "ARS";
        await AssertAnswerAsync(HttpMethod.Post, "api/bookings", ars, HttpStatusCode.BadRequest, "bookings_post_currency.400.json");

        var noPhone = Booking();
        noPhone["booking"]!["associations"]!["customer_detail"]!["phone"] = string.Empty;
        await AssertAnswerAsync(HttpMethod.Post, "api/bookings", noPhone, HttpStatusCode.BadRequest, "bookings_post_phone.400.json");

        await BookAsync(Booking());
        await AssertAnswerAsync(HttpMethod.Put, "api/bookings/999", Put(999, "5491155551234@guests.hotelagent.invalid", 1, "2027-03-10", "2027-03-12"), HttpStatusCode.BadRequest, "bookings_put_not_found.400.json");
        await AssertAnswerAsync(HttpMethod.Put, "api/bookings/1", Put(1, "other@example.com", 1, "2027-03-10", "2027-03-12"), HttpStatusCode.BadRequest, "bookings_put_customer.400.json");

        for (var i = 0; i < 5; i++)
        {
            _server.Occupy(4, new DateOnly(2027, 4, 1), new DateOnly(2027, 4, 3));
        }

        await AssertAnswerAsync(HttpMethod.Put, "api/bookings/1", Put(1, "5491155551234@guests.hotelagent.invalid", 4, "2027-04-01", "2027-04-03"), HttpStatusCode.BadRequest, "bookings_put_not_available.400.json");
        var full = Booking();
        full["booking"]!["associations"]!["room_types"]![0]!["id_room_type"] = 4;
        full["booking"]!["associations"]!["room_types"]![0]!["checkin_date"] = "2027-04-01";
        full["booking"]!["associations"]!["room_types"]![0]!["checkout_date"] = "2027-04-03";
        await AssertAnswerAsync(HttpMethod.Post, "api/bookings", full, HttpStatusCode.BadRequest, "bookings_post_not_available.400.json");

        var (badDates, badDatesBody) = await SendAsync(HttpMethod.Post, "api/hotel_ari", Ari("2027-03-10", "2027-03-10"));
        Assert.Equal(HttpStatusCode.BadRequest, badDates);
        Assert.Equal(Recorded("hotel_ari_bad_dates.400.json").ToJsonString(), JsonNode.Parse(badDatesBody)!.ToJsonString());

        var (none, noneBody) = await SendAsync(HttpMethod.Get, "api/customers?display=[id,email]&filter[email]=[nobody@example.com]");
        Assert.Equal(HttpStatusCode.OK, none);
        Assert.Equal(Recorded("customers_none.200.json").ToJsonString(), noneBody);

        var (missing, missingBody) = await SendAsync(HttpMethod.Get, "api/bookings/999");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(string.Empty, missingBody);
    }

    [Fact]
    public async Task Bad_keys_and_resources_the_key_may_not_use_are_401_with_the_real_bodies()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/room_types?output_format=JSON");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(OtherKey + ":")));
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("realm=\"Welcome to QloApps Webservice", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(Recorded("auth.401.json").ToJsonString(), JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());

        _server.Deny("hotel_room_types");
        var (denied, deniedBody) = await SendAsync(HttpMethod.Get, "api/hotel_room_types?display=full");
        Assert.Equal(HttpStatusCode.Unauthorized, denied);
        Assert.Equal(Recorded("resource_not_allowed.401.json").ToJsonString(), JsonNode.Parse(deniedBody)!.ToJsonString());
    }

    [Fact]
    public async Task With_PHP_warnings_bookings_answer_500_or_a_warning_first_as_the_real_server_did()
    {
        _server.PhpWarnings = true;

        var (created, createdBody) = await SendAsync(HttpMethod.Post, "api/bookings", Booking().ToJsonString());
        Assert.Equal(HttpStatusCode.InternalServerError, created);
        Assert.Equal(Messages(Recorded("bookings_post_php_warnings.500.json")), Messages(JsonNode.Parse(createdBody)!));
        Assert.Equal(1, _server.BookingCount); // written anyway

        var (read, readBody) = await SendAsync(HttpMethod.Get, "api/bookings/1");
        Assert.Equal(HttpStatusCode.InternalServerError, read);
        Assert.Equal(Messages(Recorded("bookings_get_php_warnings.500.json")), Messages(JsonNode.Parse(readBody)!));

        var ars = Booking();
        ars["booking"]!["currency"] = "ARS";
        var (currency, currencyBody) = await SendAsync(HttpMethod.Post, "api/bookings", ars.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, currency);
        Assert.Equal(Messages(Recorded("bookings_post_currency_php_warnings.400.json")), Messages(JsonNode.Parse(currencyBody)!));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Every field of <paramref name="fake"/> exists in <paramref name="real"/> with the same JSON kind; roots have the same keys.</summary>
    private static void AssertSameShape(JsonNode? real, JsonNode fake, string path)
    {
        Assert.True(Kind(real) == Kind(fake) || real is null, $"{path}: real is {Kind(real)}, fake is {Kind(fake)}");
        switch (fake)
        {
            case JsonObject fakeObject:
                var realObject = real!.AsObject();
                if (path == "$")
                {
                    Assert.Equal(realObject.Select(p => p.Key).Order(), fakeObject.Select(p => p.Key).Order());
                }

                foreach (var (key, value) in fakeObject)
                {
                    // Objects keyed by id (hotel_ari rooms.available): compare any entry with any entry.
                    var keyedById = int.TryParse(key, out _);
                    var realValue = keyedById ? realObject.FirstOrDefault().Value : realObject[key];
                    Assert.True(keyedById ? realObject.Count > 0 : realObject.ContainsKey(key), $"{path}.{key}: the real answer has no such field");
                    if (value is not null && realValue is not null)
                    {
                        AssertSameShape(realValue, value, $"{path}.{key}");
                    }
                }

                break;
            case JsonArray fakeArray when fakeArray.Count > 0 && real is JsonArray { Count: > 0 } realArray:
                AssertSameShape(realArray[0]!, fakeArray[0]!, path + "[0]");
                break;
        }
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
        _ => "other",
    };

    /// <summary>Error codes and messages, with the server's install folder taken out of PHP warnings.</summary>
    private static string Messages(JsonNode errors) =>
        string.Join('\n', errors["errors"]!.AsArray().Select(e => $"{(int)e!["code"]!} {FolderRegex().Replace((string)e["message"]!, "(…/classes/")}"));

    [GeneratedRegex(@"\([^ ]*/classes/")]
    private static partial Regex FolderRegex();

    private static JsonNode Recorded(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fakes", "Pms", "QloAppsRecordings", file)))!;

    private async Task AssertAnswerAsync(HttpMethod method, string path, JsonNode body, HttpStatusCode expected, string recording)
    {
        var (status, text) = await SendAsync(method, path, body.ToJsonString());
        Assert.Equal(expected, status);
        Assert.Equal(Recorded(recording).ToJsonString(), JsonNode.Parse(text)!.ToJsonString());
    }

    private async Task BookAsync(JsonNode booking)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "api/bookings", booking.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "output_format=JSON");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(FakeQloAppsServer.ApiKey + ":")));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "application/xml" : "application/json");
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Ari(string from, string to, string extra = "") =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><qloapps><hotel_ari><id_hotel>1</id_hotel>{extra}<date_from>{from}</date_from><date_to>{to}</date_to><get_available_rooms>1</get_available_rooms><associations><room_occupancies><room_occupancy><adults>2</adults><children>0</children></room_occupancy></room_occupancies></associations></hotel_ari></qloapps>";

    /// <summary>The body we recorded the real answers with (remark, customer, Delux Rooms 2027-03-10..12, 2 adults).</summary>
    private static JsonObject Booking() => JsonNode.Parse("""
        {"booking":{"id_property":1,"currency":"USD","booking_status":1,"payment_status":3,"source":"HotelAgent WhatsApp","remark":"HotelAgent idempotency key k1",
         "associations":{"customer_detail":{"firstname":"Ana","lastname":"María Pérez","email":"5491155551234@guests.hotelagent.invalid","phone":"+5491155551234"},
         "room_types":[{"id_room_type":2,"checkin_date":"2027-03-10","checkout_date":"2027-03-12","number_of_rooms":1,"rooms":[{"adult":2,"child":0}]}]}}}
        """)!.AsObject();

    private static JsonObject Put(int id, string email, int idRoomType, string from, string to) => new()
    {
        ["booking"] = new JsonObject
        {
            ["id"] = id,
            ["id_property"] = 1,
            ["currency"] = "USD",
            ["associations"] = new JsonObject
            {
                ["customer_detail"] = new JsonObject { ["email"] = email },
                ["room_types"] = new JsonArray(new JsonObject
                {
                    ["id_room_type"] = idRoomType,
                    ["checkin_date"] = from,
                    ["checkout_date"] = to,
                    ["number_of_rooms"] = 1,
                    ["rooms"] = new JsonArray(new JsonObject { ["adult"] = 1, ["child"] = 0 }),
                }),
            },
        },
    };
}

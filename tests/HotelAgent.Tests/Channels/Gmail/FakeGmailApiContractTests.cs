using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Channels.Gmail.Mime;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Channels.Gmail;

/// <summary>The fake answers with Gmail's shapes, so the lead can rely on it in end-to-end tests.</summary>
public class FakeGmailApiContractTests
{
    private static async Task<(FakeGmailApi Fake, HttpClient Http)> StartAsync()
    {
        var fake = await FakeGmailApi.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(fake.BaseUrl) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = fake.ClientId,
            ["client_secret"] = fake.ClientSecret,
            ["refresh_token"] = fake.RefreshToken,
        });
        var token = await (await http.PostAsync(new Uri("/token", UriKind.Relative), form)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.True(token.GetProperty("expires_in").GetInt32() > 0);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        return (fake, http);
    }

    [Fact]
    public async Task List_and_get_full_return_gmail_message_resources()
    {
        var (fake, http) = await StartAsync();
        await using var _ = fake;
        using var __ = http;
        var when = new DateTimeOffset(2026, 11, 22, 2, 55, 1, TimeSpan.Zero);
        var id = fake.AddInboxMessage(GmailThreadTests.GuestEmail, when);

        var list = await http.GetFromJsonAsync<JsonElement>(new Uri("/gmail/v1/users/me/messages?q=is%3Aunread&maxResults=10", UriKind.Relative));
        Assert.Equal(id, list.GetProperty("messages")[0].GetProperty("id").GetString());
        Assert.Equal(1, list.GetProperty("resultSizeEstimate").GetInt32());

        var full = await http.GetFromJsonAsync<JsonElement>(new Uri($"/gmail/v1/users/me/messages/{id}?format=full", UriKind.Relative));
        Assert.Equal(when.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), full.GetProperty("internalDate").GetString());
        Assert.Contains("UNREAD", full.GetProperty("labelIds").EnumerateArray().Select(e => e.GetString()));
        var payload = full.GetProperty("payload");
        Assert.Equal("multipart/alternative", payload.GetProperty("mimeType").GetString());
        Assert.Contains(payload.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Message-ID");
        var plain = payload.GetProperty("parts")[0];
        Assert.Equal("0", plain.GetProperty("partId").GetString());
        var data = plain.GetProperty("body").GetProperty("data").GetString()!;
        Assert.DoesNotContain('+', data);
        Assert.StartsWith("Hola! ¿Tienen habitación", Encoding.UTF8.GetString(MimeEncodings.FromBase64Url(data)), StringComparison.Ordinal);

        var empty = await http.GetFromJsonAsync<JsonElement>(new Uri("/gmail/v1/users/me/messages?q=-is%3Aunread", UriKind.Relative));
        Assert.False(empty.TryGetProperty("messages", out JsonElement _));
    }

    [Fact]
    public async Task Errors_use_googles_error_shape()
    {
        var (fake, http) = await StartAsync();
        await using var _ = fake;
        using var __ = http;
        fake.FailNext(429);

        using var response = await http.GetAsync(new Uri("/gmail/v1/users/me/labels", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
        Assert.Equal("rateLimitExceeded", error.GetProperty("errors")[0].GetProperty("reason").GetString());

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        using var unauthorized = await http.GetAsync(new Uri("/gmail/v1/users/me/labels", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Browser;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotelAgent.Tests.Functions.WebChat;

/// <summary>
/// The web chat page as a guest uses it, in a real browser (headless Chromium driven by Playwright) against the real
/// standalone host: real NLU, dialog, durable conversation and embedded PMS behind it.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed partial class WebChatPageBrowserTests(ChromiumFixture chromium) : IAsyncLifetime
{
    private const string Hotel = "Hotel Palermo Soho";
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        // Replies go through the whole conversation pipeline on a machine shared with other builds: be patient.
        SetDefaultExpectTimeout(30_000);
        _host = await StandaloneHost.StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<WatchedPage> OpenAsync(string locale = "es-AR")
    {
        var watched = await WatchedPage.OpenAsync(chromium.Browser, _host.BaseAddress, locale);
        watched.Page.SetDefaultTimeout(30_000);
        await watched.Page.GotoAsync("/");
        return watched;
    }

    private static ILocator Messages(IPage page) => page.Locator("#log .msg");

    private static ILocator OfferButtons(IPage page) => page.Locator("#log .options button:enabled");

    private static string BookingQuestion() => $"hola, tenés lugar para 2 personas {ConversationEndToEndTests.FutureStay().Spanish}?";

    private static async Task SayAsync(IPage page, string text)
    {
        await page.GetByRole(AriaRole.Textbox).FillAsync(text);
        await page.GetByRole(AriaRole.Textbox).PressAsync("Enter");
    }

    /// <summary>Waits until the hotel has answered more than <paramref name="before"/> messages.</summary>
    private static Task WaitForBotMessagesAsync(IPage page, int before) =>
        page.WaitForFunctionAsync("n => document.querySelectorAll('#log .msg.bot:not(.greeting)').length > n", before);

    private static Task<int> BotCountAsync(IPage page) => page.Locator("#log .msg.bot:not(.greeting)").CountAsync();

    [Fact]
    public async Task The_page_shows_the_hotels_name_a_greeting_from_its_profile_and_a_favicon()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;

        await Expect(page).ToHaveTitleAsync(Hotel);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Hotel);
        await Expect(page.Locator("#log .greeting")).ToContainTextAsync($"bienvenida a {Hotel}");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        Assert.DoesNotContain("prueba", await page.Locator("header").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);

        foreach (var icon in new[] { "/favicon.ico", "/favicon.svg" })
        {
            var response = await page.APIRequest.GetAsync(icon);
            Assert.Equal(200, response.Status);
            Assert.StartsWith("image/svg+xml", response.Headers["content-type"], StringComparison.Ordinal);
        }

        Assert.Equal("/favicon.svg", await page.Locator("link[rel=icon]").GetAttributeAsync("href"));
        await watched.AssertCleanAsync();
    }

    [Fact]
    public async Task A_booking_question_gets_priced_offers_shown_once_as_buttons_and_pressing_one_moves_the_booking_on()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;

        await SayAsync(page, BookingQuestion());
        await Expect(OfferButtons(page).First).ToBeVisibleAsync();

        var offers = await OfferButtons(page).CountAsync();
        Assert.True(offers >= 2, $"{offers} offers");
        var offerMessage = page.Locator("#log .msg.bot", new() { Has = page.Locator(".options") }).Last;
        var body = await offerMessage.Locator(".text").InnerTextAsync();
        for (var i = 0; i < offers; i++)
        {
            var detail = await OfferButtons(page).Nth(i).Locator(".detail").InnerTextAsync();
            Assert.Matches(PricePerNight(), detail);
        }

        // Each offer once: its price only on its button, no numbered copy in the text.
        Assert.DoesNotMatch(NumberedLine(), body);
        Assert.DoesNotContain("por noche", body, StringComparison.Ordinal);
        Assert.Equal(offers, PricePerNight().Matches(await page.Locator("#log").InnerTextAsync()).Count);

        var chosen = await OfferButtons(page).First.Locator(".title").InnerTextAsync();
        var bots = await BotCountAsync(page);
        await OfferButtons(page).First.ClickAsync();

        await Expect(page.Locator("#log .msg.me").Last).ToHaveTextAsync(new Regex(Regex.Escape(chosen)));
        await WaitForBotMessagesAsync(page, bots);
        await Expect(offerMessage.Locator(".options button").First).ToBeDisabledAsync();
        Assert.DoesNotContain("no te entendí", await page.Locator("#log .msg.bot").Last.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);

        if (Environment.GetEnvironmentVariable("HOTELAGENT_WEBCHAT_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            // For a person to look at the page: HOTELAGENT_WEBCHAT_SCREENSHOT=/tmp/webchat.png dotnet test --filter ...
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }

        // A reload shows the same conversation, the guest's own messages included, from the server.
        var before = await Messages(page).AllInnerTextsAsync();
        await page.ReloadAsync();
        await Expect(Messages(page)).ToHaveCountAsync(before.Count);
        Assert.Equal(before, await Messages(page).AllInnerTextsAsync());
        Assert.Equal(2, await page.Locator("#log .msg.me").CountAsync());
        await watched.AssertCleanAsync();
    }

    [Fact]
    public async Task New_conversation_starts_empty_with_a_new_session_that_a_reload_keeps()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;
        await SayAsync(page, "hola");
        await WaitForBotMessagesAsync(page, 0);
        var first = await page.EvaluateAsync<string>("() => localStorage.getItem('hotelagent.session')");

        await page.GetByRole(AriaRole.Button, new() { Name = "Nueva conversación" }).ClickAsync();

        await Expect(Messages(page)).ToHaveCountAsync(1);
        await Expect(page.Locator("#log .greeting")).ToBeVisibleAsync();
        var second = await page.EvaluateAsync<string>("() => localStorage.getItem('hotelagent.session')");
        Assert.NotEqual(first, second);

        await page.ReloadAsync();
        await SayAsync(page, "¿tienen wifi?");
        await WaitForBotMessagesAsync(page, 0);
        var texts = await page.Locator("#log .msg.me").AllInnerTextsAsync();
        Assert.Single(texts);
        Assert.Contains("¿tienen wifi?", texts[0], StringComparison.Ordinal);
        Assert.Equal(second, await page.EvaluateAsync<string>("() => localStorage.getItem('hotelagent.session')"));
        await watched.AssertCleanAsync();
    }

    [Fact]
    public async Task A_guest_can_do_everything_with_the_keyboard_alone()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;

        // The message box has the focus on arrival: type, Enter.
        Assert.Equal("text", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync(BookingQuestion());
        await page.Keyboard.PressAsync("Enter");
        await Expect(OfferButtons(page).First).ToBeVisibleAsync();

        // The offers sit right before the message box in the tab order: Shift+Tab reaches the last one, Enter presses it.
        await page.Keyboard.PressAsync("Shift+Tab");
        var focused = page.Locator(":focus");
        Assert.True(await focused.EvaluateAsync<bool>("e => e.matches('.options button')"), "Shift+Tab did not reach an offer");
        Assert.NotEqual("none", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        var title = await focused.Locator(".title").InnerTextAsync();
        var bots = await BotCountAsync(page);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#log .msg.me").Last).ToContainTextAsync(title);
        await WaitForBotMessagesAsync(page, bots);
        Assert.Equal("text", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // Tab from the message box reaches Send; the new-conversation button is reachable too.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("send", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Locator("#new").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Messages(page)).ToHaveCountAsync(1);
        await watched.AssertCleanAsync();
    }

    [Fact]
    public async Task The_page_follows_the_guests_language()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;
        var stay = ConversationEndToEndTests.FutureStay();

        await SayAsync(page, $"Hi! Do you have a room for 2 people {stay.English}?");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Textbox)).ToHaveAttributeAsync("placeholder", "Type your message…");
        await Expect(page.GetByLabel("Your message")).ToBeVisibleAsync();
        await Expect(page.Locator("#log .greeting")).ToContainTextAsync($"Welcome to {Hotel}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New conversation" })).ToBeVisibleAsync();
        await Expect(OfferButtons(page).First.Locator(".detail")).ToContainTextAsync("per night");
        await watched.AssertCleanAsync();
    }

    [Fact]
    public async Task The_page_is_accessible_labels_live_region_and_no_axe_violations_with_offers_on_screen()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;

        await Expect(page.GetByLabel("Tu mensaje")).ToBeVisibleAsync();
        var log = page.GetByRole(AriaRole.Log);
        await Expect(log).ToHaveAttributeAsync("aria-live", "polite");
        await SayAsync(page, BookingQuestion());
        await Expect(OfferButtons(page).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Opciones" }).Last).ToBeVisibleAsync();

        var axe = await page.RunAxe();

        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => string.Join(' ', n.Target)))}")));
        await watched.AssertCleanAsync();
    }

    [GeneratedRegex(@"(\$|ARS|USD)\s?[\d.,]+ (por noche|per night)")]
    private static partial Regex PricePerNight();

    [GeneratedRegex(@"(^|\n)\s*\d+[.)]\s")]
    private static partial Regex NumberedLine();
}

using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace HotelAgent.Tests.Fakes.Browser;

/// <summary>
/// A page in its own browser context (its own storage) that records what must never happen: console errors, uncaught
/// page errors, Content-Security-Policy violations and failed responses (a missing favicon included).
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Problems.Add("console: " + message.Text);
            }
        };
        page.PageError += (_, error) => Problems.Add("page error: " + error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Problems.Add($"HTTP {response.Status}: {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public ConcurrentBag<string> Problems { get; } = [];

    public static async Task<WatchedPage> OpenAsync(IBrowser browser, Uri baseAddress, string locale = "es-AR")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), Locale = locale });
        // Added by the driver, not by the page: not subject to the page's CSP.
        await context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        return new WatchedPage(context, await context.NewPageAsync());
    }

    /// <summary>Fails the test when anything went wrong on the page so far.</summary>
    public async Task AssertCleanAsync()
    {
        var csp = await Page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Empty(csp);
        Assert.Empty(Problems);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}

using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Dialog.Corpus;

/// <summary>The corpus is what the issue asks for (size, defect classes, languages, channels), and its format is strict.</summary>
public sealed class ConversationCorpusShapeTests
{
    private static IReadOnlyList<ConversationScript> Corpus() =>
        ConversationScriptParser.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "Dialog", "Corpus", "Conversations"));

    [Fact]
    public void The_corpus_has_at_least_60_conversations_and_several_per_defect_class()
    {
        var all = Corpus();

        Assert.True(all.Count >= 60, $"{all.Count} conversations");
        foreach (var c in Enumerable.Range(1, 8).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.True(all.Count(s => s.Classes.Contains(c)) >= 4, $"class {c}");
        }

        Assert.True(all.Count(s => s.Language == "en") >= 10);
        Assert.Contains(all, s => s.Channel == Channel.Email);
        Assert.Contains(all, s => s.Channel == Channel.WebChat);
        Assert.Contains(all, s => s.Via.Contains("webchat"));
        Assert.Contains(all, s => s.Via.Contains("whatsapp"));
        Assert.All(all, s => Assert.Contains(s.Expectations, e => e.Kind is "booked" or "no-booking" or "seed" or "handoff" or "no-handoff" or "staff-notified" or "email-promise" or "no-email-promise"));
    }

    [Fact]
    public void A_script_reads_headers_turns_checks_and_expectations()
    {
        var s = Assert.Single(ConversationScriptParser.Parse("""
            # comment
            === sample
            class: 1, 3
            channel: webchat
            name: Ana Gómez
            language: en
            now: 2026-11-21T18:00:00-03:00
            email-channel: on
            via: dialog, webchat
            seed: mine doble 2026-12-10 2026-12-12 2 "Ana Gómez"
            > hello
            ? says Hi
            > +40m [yes] Yes
            ? stage ConfirmingBooking
            expect: booked doble 2026-12-10 2026-12-12 guests=2 name="Ana Gómez"
            expect: seed 1 cancelled
            """, "sample.conv"));

        Assert.Equal(["1", "3"], s.Classes);
        Assert.Equal(Channel.WebChat, s.Channel);
        Assert.Equal("en", s.Language);
        Assert.True(s.EmailChannel);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 18, 0, 0, TimeSpan.FromHours(-3)), s.Start);
        Assert.Equal(new Seed(true, "doble", new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), 2, "Ana Gómez"), Assert.Single(s.Seeds));
        Assert.Equal(2, s.Turns.Count);
        Assert.Equal(("Yes", "yes", TimeSpan.FromMinutes(40)), (s.Turns[1].Text, s.Turns[1].ReplyId, s.Turns[1].Delay));
        Assert.Equal("says", Assert.Single(s.Turns[0].Checks).Kind);
        Assert.Equal("Ana Gómez", s.Expectations[0].Args["name"]);
        Assert.Equal(["doble", "2026-12-10", "2026-12-12"], s.Expectations[0].Positional);
    }

    [Theory]
    [InlineData("=== x\n> hola\nexpect: flying\n", "unknown expectation")]
    [InlineData("=== x\n> hola\n? sings hi\nexpect: no-booking\n", "unknown check")]
    [InlineData("=== x\nexpect: no-booking\n", "no guest turns")]
    [InlineData("=== x\n> hola\n", "no expectations")]
    [InlineData("> hola\n", "before the first")]
    [InlineData("=== x\nchannel: telegram\n> hola\nexpect: no-booking\n", "channel")]
    public void A_bad_script_is_refused_with_its_line(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => ConversationScriptParser.Parse(text, "bad.conv"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("bad.conv", ex.Message, StringComparison.Ordinal);
    }
}

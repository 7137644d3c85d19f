using HotelAgent.Core.Hotel;

namespace HotelAgent.Tests.Dialog.Corpus;

/// <summary>
/// The conversation corpus (<c>Dialog/Corpus/Conversations/*.conv</c>): guest conversations written the way guests write,
/// each checked on its outcome (the PMS booking, handoff, language of every reply, no reply three times). Every conversation
/// runs through the dialog with the real offline NLU and the real embedded PMS; the ones marked <c>via: webchat</c> or
/// <c>via: whatsapp</c> also run through the standalone host's web chat API or signed WhatsApp webhooks.
/// </summary>
public sealed class DialogCorpusTests
{
    private static readonly Lazy<IReadOnlyList<ConversationScript>> All = new(() =>
        ConversationScriptParser.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "Dialog", "Corpus", "Conversations")));

    private static readonly HotelProfile Profile = HotelProfile.Load(null);

    public static TheoryData<string> DialogScripts()
    {
        var data = new TheoryData<string>();
        foreach (var s in All.Value)
        {
            data.Add(s.Id);
        }

        return data;
    }

    public static TheoryData<string, string> HostScripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in All.Value)
        {
            foreach (var path in s.Via.Where(v => v is "webchat" or "whatsapp"))
            {
                data.Add(s.Id, path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DialogScripts))]
    public async Task Conversation_reaches_its_outcome_through_the_dialog(string id)
    {
        var run = await ConversationRunner.RunThroughDialogAsync(All.Value.Single(s => s.Id == id), Profile);

        var failures = ConversationChecks.Evaluate(run);

        Assert.True(failures.Count == 0, ConversationChecks.Transcript(run, failures));
    }

    [Theory]
    [MemberData(nameof(HostScripts))]
    public async Task Conversation_reaches_its_outcome_through_the_host(string id, string path)
    {
        var run = await ConversationRunner.RunThroughHostAsync(All.Value.Single(s => s.Id == id), path);

        var failures = ConversationChecks.Evaluate(run);

        Assert.True(failures.Count == 0, ConversationChecks.Transcript(run, failures));
    }
}

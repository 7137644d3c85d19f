using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Messaging;

public sealed class ReplyOptionLinesTests
{
    private static readonly ReplyOption[] TwoRooms =
    [
        new("doble", "Habitación Doble", "$ 95.000/noche · total $ 190.000"),
        new("triple", "Habitación Triple", "$ 120.000/noche · total $ 240.000"),
    ];

    [Fact]
    public void Numbered_offer_lines_move_into_their_buttons_and_the_rest_of_the_text_stays()
    {
        var reply = new Reply("Del 10/3 al 12/3 (2 noches, 2 personas) tengo:\n1. Habitación Doble: $ 95.000 por noche, total $ 190.000. Incluye desayuno.\n2. Habitación Triple: $ 120.000 por noche, total $ 240.000.\n¿Cuál te reservo?")
        {
            Options = TwoRooms,
        };

        var rendered = ReplyOptionLines.ForButtons(reply);

        Assert.Equal("Del 10/3 al 12/3 (2 noches, 2 personas) tengo:\n¿Cuál te reservo?", rendered.Text);
        Assert.Equal(
            [("doble", "Habitación Doble", "$ 95.000 por noche, total $ 190.000. Incluye desayuno."), ("triple", "Habitación Triple", "$ 120.000 por noche, total $ 240.000.")],
            rendered.Options.Select(o => (o.Id, o.Title, o.Detail)).ToArray());
    }

    [Fact]
    public void A_single_offer_line_moves_into_its_button()
    {
        var reply = new Reply("Del 10/3 al 12/3 tengo:\nHabitación Doble: $ 95.000 por noche, total $ 190.000.\n¿Te la reservo?") { Options = [TwoRooms[0]] };

        var rendered = ReplyOptionLines.ForButtons(reply);

        Assert.Equal("Del 10/3 al 12/3 tengo:\n¿Te la reservo?", rendered.Text);
        Assert.Equal("$ 95.000 por noche, total $ 190.000.", Assert.Single(rendered.Options).Detail);
    }

    [Fact]
    public void A_title_cut_for_whatsapp_is_whole_again_on_the_button()
    {
        var reply = new Reply("Tengo:\n1. Habitación Doble Superior: $ 1 por noche.\n2. Suite: $ 2 por noche.")
        {
            Options = [new("doble-sup", "Habitación Doble Su…"), new("suite", "Suite")],
        };

        var rendered = ReplyOptionLines.ForButtons(reply);

        Assert.Equal("Tengo:", rendered.Text);
        Assert.Equal(["Habitación Doble Superior", "Suite"], rendered.Options.Select(o => o.Title).ToArray());
        Assert.Equal("$ 1 por noche.", rendered.Options[0].Detail);
    }

    [Theory]
    [InlineData("¿Confirmo la reserva?")] // options without lines (Sí / No)
    [InlineData("Tengo:\n1. Habitación Doble: $ 1.\n¿Cuál?")] // only one of two options has a line
    [InlineData("Tengo:\n2. Habitación Doble: $ 1.\n1. Habitación Triple: $ 2.")] // numbers out of order
    [InlineData("Tengo:\n1. Habitación Doble: $ 1.\nOjo:\n2. Habitación Triple: $ 2.")] // lines not together
    public void Text_without_exactly_one_line_per_option_in_order_stays_whole(string text)
    {
        var reply = new Reply(text) { Options = TwoRooms };

        var rendered = ReplyOptionLines.ForButtons(reply);

        Assert.Equal(text, rendered.Text);
        Assert.Equal(TwoRooms.Select(o => (o.Id, o.Title, (string?)o.Description)).ToArray(), rendered.Options.Select(o => (o.Id, o.Title, o.Detail)).ToArray());
    }

    [Fact]
    public void A_reply_without_options_is_unchanged()
    {
        var rendered = ReplyOptionLines.ForButtons(new Reply("1. Primero esto.\n2. Después esto."));

        Assert.Equal("1. Primero esto.\n2. Después esto.", rendered.Text);
        Assert.Empty(rendered.Options);
    }
}

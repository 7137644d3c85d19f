using HotelAgent.Core.Dialog;

namespace HotelAgent.Tests.Dialog;

/// <summary>How a confirmation reads the guest's answer: a yes with extra words is a yes; anything doubtful is not.</summary>
public sealed class DialogTextTests
{
    [Theory]
    [InlineData("si, cancelala", "Cancellation")]
    [InlineData("Yes, cancel it", "Cancellation")]
    [InlineData("ok, igual cancelala", "Cancellation")]
    [InlineData("sí por favor, gracias", "Cancellation")]
    [InlineData("alright, go ahead and cancel it", "Cancellation")]
    [InlineData("dale, reservala", "Booking")]
    [InlineData("sí, confirmame", "Booking")]
    [InlineData("perfecto, reservá", "Booking")]
    [InlineData("dale de una", "Booking")]
    [InlineData("yes please go ahead", "Booking")]
    [InlineData("👍", "Booking")]
    [InlineData("si, cambiala", "Modification")]
    [InlineData("sí, a mi nombre", "Generic")]
    [InlineData("sí, es así", "Generic")]
    [InlineData("sisi, mandale nomas", "Booking")]
    [InlineData("siii daleee", "Booking")]
    [InlineData("metele nomás", "Generic")]
    [InlineData("okkk, hacele", "Modification")]
    [InlineData("dale q va", "Booking")]            // "q" written out as "que"
    [InlineData("sip, reserbala xfa", "Booking")]   // the step's verb misspelt, shorthand "por favor"
    [InlineData("si, canselala", "Cancellation")]
    public void A_yes_with_extra_words_is_a_yes(string text, string action) => Assert.Equal(YesNo.Yes, DialogText.ReadYesNo(text, Enum.Parse<ConfirmAction>(action)));

    [Theory]
    [InlineData("no, dejala como está", "Cancellation")]
    [InlineData("ah no, entonces no la cancelo", "Cancellation")]
    [InlineData("no, keep it please", "Cancellation")]
    [InlineData("mejor no", "Booking")]
    [InlineData("nah", "Booking")]
    [InlineData("para nada", "Generic")]
    [InlineData("nop, mejor la dejo", "Cancellation")]
    public void A_no_with_extra_words_is_a_no(string text, string action) => Assert.Equal(YesNo.No, DialogText.ReadYesNo(text, Enum.Parse<ConfirmAction>(action)));

    [Theory]
    [InlineData("dale, cancelala", "Booking")] // a verb of another step is not a yes to this one
    [InlineData("si, reservala", "Cancellation")]
    [InlineData("me van a cobrar algo?", "Cancellation")]
    [InlineData("si?", "Booking")]
    [InlineData("si pero somos 3", "Booking")]
    [InlineData("la 1", "Booking")]
    [InlineData("no sé", "Booking")]
    [InlineData("no, cancelala igual", "Cancellation")]
    [InlineData("cuál es mi reserva", "Booking")]
    [InlineData("bueno dejame pensarlo", "Booking")]
    [InlineData("mmm", "Booking")]
    public void Anything_doubtful_is_not_an_answer(string text, string action) => Assert.Equal(YesNo.Unclear, DialogText.ReadYesNo(text, Enum.Parse<ConfirmAction>(action)));

    [Theory]
    [InlineData("si porfa. ah y a que hora se puede entrar?", "Generic", "si porfa")]
    [InlineData("dale, ¿aceptan mascotas?", "Booking", "dale")]
    [InlineData("Yes please! Is breakfast included?", "Booking", "Yes please")]
    [InlineData("reservala. tienen cochera?", "Booking", "reservala")]
    [InlineData("¿sí?", "Booking", null)] // a questioning yes is no answer
    [InlineData("si? y cuanto sale", "Booking", null)]
    [InlineData("ok, y a qué hora es el check-in?", "Booking", null)] // "ok" may only acknowledge what was said
    [InlineData("genial. che y si al final llegamos el 15?", "Booking", null)]
    [InlineData("no, a qué hora se entra?", "Booking", null)]
    [InlineData("sí porfa", "Booking", null)] // no question: ReadYesNo reads it
    public void An_explicit_yes_before_a_question_is_told_apart(string text, string action, string? lead) =>
        Assert.Equal(lead, DialogText.YesBeforeQuestion(text, Enum.Parse<ConfirmAction>(action)));

    [Theory]
    [InlineData("cuánto sale la doble?", true)]
    [InlineData("y la ejecutiva que tiene de diferencia con la doble", false)]
    [InlineData("what's the difference between the executive room and the double", true)]
    [InlineData("dale, la doble", false)]
    [InlineData("la mas barata q tengas", false)]
    public void Questions_are_told_from_answers(string text, bool question) => Assert.Equal(question, DialogText.IsQuestion(text));

    [Theory]
    [InlineData("ok", true)]
    [InlineData("dale", true)]
    [InlineData("genial", true)]
    [InlineData("👍", true)]
    [InlineData("ok perfecto gracias", true)]
    [InlineData("ok la doble", false)]
    [InlineData("somos 2", false)]
    public void Acknowledgements(string text, bool ack) => Assert.Equal(ack, DialogText.IsAcknowledgement(text));

    [Theory]
    [InlineData("quiero hablar con una persona", true)]
    [InlineData("pasame con recepción", true)]
    [InlineData("can I talk to someone at the front desk", true)]
    [InlineData("la recepción es 24 horas?", false)]
    [InlineData("hay alguien en el lobby?", false)]
    public void Asking_for_a_person_needs_a_verb_of_contact(string text, bool asks) => Assert.Equal(asks, DialogText.AsksForPerson(DialogText.Normalize(text)));

    [Theory]
    [InlineData("queremos quedarnos una noche más", 1)]
    [InlineData("mejor 2 noches extra", 2)]
    [InlineData("un día más por favor", 1)]
    [InlineData("dos noches adicionales", 2)]
    [InlineData("could we add one more night?", 1)]
    [InlineData("an extra night please", 1)]
    [InlineData("another night", 1)]
    [InlineData("2 more nights", 2)]
    [InlineData("necesitamos una noche menos", -1)]
    [InlineData("one night less", -1)]
    public void Nights_added_or_taken_from_the_stay_are_read_with_their_sign(string text, int extra) =>
        Assert.Equal(extra, DialogText.ExtraNights(DialogText.Normalize(text)));

    [Theory]
    [InlineData("para una noche el 10")]
    [InlineData("3 noches")]
    [InlineData("no more nights, thanks")]
    [InlineData("más noches no")]
    public void A_length_or_a_refusal_is_not_a_change_of_nights(string text) => Assert.Null(DialogText.ExtraNights(DialogText.Normalize(text)));

    [Theory]
    [InlineData("en mi reserva somos 2 pero se suma mi hijo de 8", 1)]
    [InlineData("se nos suman 2 amigos", 2)]
    [InlineData("se suman mis viejos", 2)]
    [InlineData("viene una persona más", 1)]
    [InlineData("2 adultos más", 2)]
    [InlineData("can we add one more person to our booking?", 1)]
    [InlineData("an extra guest", 1)]
    [InlineData("another adult is coming", 1)]
    [InlineData("add a guest please", 1)]
    public void People_joining_the_party_are_counted(string text, int joining) =>
        Assert.Equal(joining, DialogText.ExtraGuests(DialogText.Normalize(text)));

    [Theory]
    [InlineData("somos 3 personas")]
    [InlineData("los chicos pagan?")]
    [InlineData("no more guests")]
    [InlineData("cuánto suma el total?")]
    [InlineData("en mi reserva se suma el IVA?")]
    [InlineData("se agrega el desayuno?")]
    public void A_party_size_or_a_question_is_not_someone_joining(string text) => Assert.Null(DialogText.ExtraGuests(DialogText.Normalize(text)));

    [Theory]
    [InlineData("kiero reserbar pal 3 de enro", "quiero reservar para el 3 de enero")]
    [InlineData("Mi mail: enro@gmail.com", "mi mail enro@gmail.com")]
    [InlineData("I'd like a room for three", "i d like a room for three")]
    public void A_guest_message_is_normalized_with_its_spelling_fixed(string text, string expected) => Assert.Equal(expected, DialogText.NormalizeGuest(text));

    [Fact]
    public void The_bot_s_own_texts_keep_their_spelling() => Assert.Equal("kiero", DialogText.Normalize("kiero"));
}

using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

/// <summary>
/// Typo tolerance for booking words (SpellingNormalizer): heavy misspellings and WhatsApp shorthand are written out, real
/// words never turn into other words, English is left alone, and the entities of misspelt messages come out right.
/// </summary>
public class SpellingNormalizerTests
{
    // 2026-11-21 is a Saturday
    private static readonly DateOnly Today = new(2026, 11, 21);

    private static string Fix(string text) => SpellingNormalizer.Correct(text, text);

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // months: sound (s/z, b/v, n before b) and one dropped or doubled letter
    [InlineData("enro", "enero")]
    [InlineData("febrro", "febrero")]
    [InlineData("marso", "marzo")]
    [InlineData("abrl", "abril")]
    [InlineData("agsto", "agosto")]
    [InlineData("setienbre", "setiembre")]
    [InlineData("otubre", "octubre")]
    [InlineData("nobiembre", "noviembre")]
    [InlineData("dicienbre", "diciembre")]
    [InlineData("dicembre", "diciembre")]
    // numbers
    [InlineData("dies", "diez")]
    [InlineData("doze", "doce")]
    [InlineData("onse", "once")]
    [InlineData("trez", "tres")]
    [InlineData("sinco", "cinco")]
    [InlineData("nuebe", "nueve")]
    [InlineData("catorse", "catorce")]
    [InlineData("kinse", "quince")]
    [InlineData("dieziseis", "dieciseis")]
    [InlineData("beinte", "veinte")]
    // the stay, the party, booking words
    [InlineData("noxe", "noche")]
    [InlineData("noxes", "noches")]
    [InlineData("nochez", "noches")]
    [InlineData("perzonas", "personas")]
    [InlineData("pesronas", "personas")]
    [InlineData("adultoz", "adultos")]
    [InlineData("abitacion", "habitacion")]
    [InlineData("avitacion", "habitacion")]
    [InlineData("habitasion", "habitacion")]
    [InlineData("reserba", "reserva")]
    [InlineData("reserbar", "reservar")]
    [InlineData("kiero", "quiero")]
    [InlineData("canbiar", "cambiar")]
    [InlineData("canselar", "cancelar")]
    [InlineData("livre", "libre")]
    [InlineData("disponivilidad", "disponibilidad")]
    [InlineData("nesesito", "necesito")]
    [InlineData("somo", "somos")]
    // shorthand
    [InlineData("q", "que")]
    [InlineData("k", "que")]
    [InlineData("xq", "porque")]
    [InlineData("tmb", "tambien")]
    [InlineData("dsp", "despues")]
    [InlineData("dsd", "desde")]
    [InlineData("pa", "para")]
    [InlineData("pal", "para el")]
    [InlineData("hab", "habitacion")]
    [InlineData("xfa", "por favor")]
    public void Misspelt_booking_words_and_shorthand_are_written_out(string word, string expected) => Assert.Equal(expected, Fix(word));

    [Theory]
    // real words a loose matcher would turn into vocabulary words (the dictionary-protected list, and the vocabulary itself)
    [InlineData("entero")]   // enero
    [InlineData("abrir")]    // abril
    [InlineData("abri")]     // abril
    [InlineData("mazo")]     // marzo
    [InlineData("maso")]     // "maso" = más o menos, not marzo
    [InlineData("personal")] // persona
    [InlineData("reservan")] // reservar
    [InlineData("solos")]    // somos
    [InlineData("julia")]    // julio
    [InlineData("junto")]    // junio
    [InlineData("asta")]     // hasta: a real word, left as it is
    [InlineData("setiembre")]
    [InlineData("septiembre")]
    [InlineData("subte")]    // Rioplatense, not in the dictionary: it once became "suite"
    [InlineData("cuando")]   // not "cuanto"
    [InlineData("diaz")]     // a surname, not "dias"
    [InlineData("x")]
    [InlineData("finde")]
    public void Real_words_are_never_changed(string word) => Assert.Equal(word, Fix(word));

    [Fact]
    public void A_protected_word_is_in_the_generated_list_and_never_a_vocabulary_word()
    {
        Assert.True(SpellingNormalizer.IsProtected("entero"));
        Assert.True(SpellingNormalizer.IsProtected("abrir"));
        Assert.False(SpellingNormalizer.IsProtected("somo")); // corrected anyway: "somo 3" means "somos 3"
        Assert.DoesNotContain(SpellingNormalizer.VocabularyWords, SpellingNormalizer.IsProtected);
    }

    [Fact]
    public void Every_vocabulary_word_has_its_own_sound_key()
    {
        var keys = SpellingNormalizer.VocabularyWords.GroupBy(SpellingNormalizer.Key).Where(g => g.Count() > 1).Select(g => string.Join("/", g));
        Assert.Empty(keys);
    }

    [Fact]
    public void Two_vocabulary_words_equally_near_leave_the_token_alone()
    {
        Assert.Null(SpellingNormalizer.CorrectWord("tienem")); // tiene or tienen?
    }

    [Theory]
    [InlineData("room for three people please")]
    [InlineData("i'd like a double for 2 nights from december 10")]
    [InlineData("is there a pool? the dose of sun is nice")]
    public void English_messages_are_left_alone(string text) => Assert.Equal(text, Fix(text));

    [Theory]
    [InlineData("x 2 noches", "x 2 noches")]            // "x" before a number: por / para, read by the extractors
    [InlineData("x dos noxes", "x dos noches")]
    [InlineData("cuanto sale x noche", "cuanto sale por noche")]
    [InlineData("mi mail es enro@gmail.com", "mi mail es enro@gmail.com")]
    [InlineData("codigo HA-7K2M9Q", "codigo HA-7K2M9Q")]
    [InlineData("del 3 al 5 de enro.", "del 3 al 5 de enero.")]
    public void Tokens_in_context(string text, string expected) => Assert.Equal(expected, Fix(text));

    [Theory]
    [InlineData("del 3-5 de enro", "del 3 - 5 de enero")] // corrected before the glued day range is read
    [InlineData("Kiero RESERBAR!!", "quiero reservar")]
    [InlineData("en el subte", "en el subte")]
    public void The_normalizer_corrects_spelling(string text, string expected) => Assert.Equal(expected, TextNormalizer.Normalize(text));

    [Fact]
    public void The_normalizer_can_leave_spelling_alone() => Assert.Equal("kiero", TextNormalizer.Normalize("kiero", correctSpelling: false));

    [Fact]
    public void The_brief_sentence_comes_out_readable()
    {
        Assert.Equal("ola tenes habitacion para el 3 de enero x 2 noches somos 3", Fix("ola tenes abitacion pal 3 de enro x 2 noxes somo 3"));
    }

    public static TheoryData<string, string?, string?, int?, int?> MisspeltStays() => new()
    {
        { "ola tenes abitacion pal 3 de enro x 2 noxes somo 3", "2027-01-03", "2027-01-05", 3, 2 },
        { "hola kiero una habitasion para 2 perzonas del 5 al 8 de marso", "2027-03-05", "2027-03-08", 2, 3 },
        { "reservame una triple del 2 al 4 de abrl somos tres adultos", "2027-04-02", "2027-04-04", 3, 2 },
        { "tenes lugar del catorse al dieziseis de enero para cuatro perzonas?", "2027-01-14", "2027-01-16", 4, 2 },
        { "hay disponivilidad para el 20 de setiembre x 3 nochez? somos dos", "2027-09-20", "2027-09-23", 2, 3 },
        { "buenas, nesesito una avitacion del dies al doze de agsto, vamos a ser 2 adultoz", "2027-08-10", "2027-08-12", 2, 2 },
        { "cuanto cuesta una hab doble x 3 nochez dsd el 9 de enero?", "2027-01-09", "2027-01-12", null, 3 },
        { "tenes lugar del 10 al 12 de dicienbre pa 4 perzonas", "2026-12-10", "2026-12-12", 4, 2 },
        { "quiero para el 5 de febrro una noxe", "2027-02-05", "2027-02-06", null, 1 },
    };

    [Theory]
    [MemberData(nameof(MisspeltStays))]
    public void Misspelt_stays_give_their_dates_guests_and_nights(string text, string? checkIn, string? checkOut, int? guests, int? nights)
    {
        var e = EntityExtractor.Extract(text, Today);

        Assert.Equal(checkIn is null ? null : D(checkIn), e.CheckIn);
        Assert.Equal(checkOut is null ? null : D(checkOut), e.CheckOut);
        Assert.Equal(guests, e.Guests);
        Assert.Equal(nights, e.Nights);
    }

    [Theory]
    [InlineData("necesito pasarla al 15 de diciembre", "2026-12-15")]
    [InlineData("podes correrla al 20 de enero?", "2027-01-20")]
    [InlineData("quiero adelantarla al 8 de diciembre", "2026-12-08")]
    public void A_move_verb_with_a_pronoun_attached_moves_the_arrival(string text, string checkIn)
    {
        var e = EntityExtractor.Extract(text, Today);

        Assert.Equal(D(checkIn), e.CheckIn);
        Assert.Null(e.CheckOut);
    }

    [Fact]
    public void The_classifier_reads_misspelt_requests_like_the_spelt_ones()
    {
        var engine = new NluEngine();

        Assert.Equal(NluLabels.AskPrice, engine.Parse("cuanto sale la noxe", Today).Intent);
        Assert.Equal(NluLabels.CancelReservation, engine.Parse("kiero cancelar mi reserba", Today).Intent);
        Assert.Equal(NluLabels.MakeReservation, engine.Parse("kiero reserbar una avitacion doble pa el finde", Today).Intent);
        Assert.Equal(NluLabels.CheckAvailability, engine.Parse("hay disponivilidad para el 20 de setiembre", Today).Intent);
    }

    [Fact]
    public void The_guard_lists_what_would_change_and_skips_shorthand_and_the_vocabulary()
    {
        var found = SpellingNormalizer.Collisions(["entero", "Enero", "pal", "noxe", "hotel", "Abrir"]).ToList();

        Assert.Contains(("entero", "enero"), found);
        Assert.Contains(("abrir", "abril"), found);
        Assert.Contains(("noxe", "noche"), found);
        Assert.DoesNotContain(found, f => f.Word is "enero" or "pal" or "hotel");
    }
}

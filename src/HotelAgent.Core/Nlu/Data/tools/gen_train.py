#!/usr/bin/env python3
"""Generates Data/nlu-train.jsonl from hand-written templates (deterministic, seed fixed).

Run from the repo root: python3 src/HotelAgent.Core/Nlu/Data/tools/gen_train.py
The held-out set Data/nlu-eval.jsonl is written by hand and never produced here.
"""
import json, random, unicodedata, os

R = random.Random(20261121)
PER_INTENT = 380

DATE = ["el 15 de diciembre", "del 10 al 15", "mañana", "el finde", "este fin de semana", "el viernes",
        "el sábado", "la semana que viene", "del 3 al 7 de enero", "para el 20", "hoy", "esta noche",
        "pasado mañana", "el 24/12", "2027-01-05", "entre el 2 y el 6 de marzo", "del 28 al 2",
        "el próximo fin de semana", "para año nuevo", "en enero", "el lunes", "desde el 8 por 3 noches",
        "del 12 al 14 de febrero", "para navidad", "el finde largo", "semana santa", "el 5 de abril",
        "entrando el 15 y saliendo el 18", "dos noches desde el jueves", "una semana en febrero"]
DATE_EN = ["on december 15", "from the 10th to the 15th", "tomorrow", "this weekend", "next friday", "tonight",
           "next week", "for 3 nights from jan 5", "on the 20th", "march 2 to march 6", "new year's eve",
           "next weekend", "from monday to thursday", "today"]
DATE2 = ["el domingo", "el 18", "el 2/1", "el martes", "el 5 de enero", "pasado mañana", "el lunes", "el 20"]
DATE2_EN = ["on sunday", "on the 18th", "on jan 2", "on tuesday"]
GUESTS = ["para dos", "2 adultos y 1 niño", "somos 4", "para una pareja", "para 3 personas", "para mí solo",
          "mi señora y yo", "2 adultos y 2 chicos", "5 personas", "para 2 pax", "con mi familia", "somos tres amigos",
          "para dos adultos", "con mi novia", "para 6", "un grupo de 8"]
GUESTS_EN = ["for 2 people", "for two adults", "my wife and I", "2 adults and a kid", "for 4 guests", "just me",
             "for a family of 4", "for three"]
ROOM = ["una doble", "la matrimonial", "una simple", "una triple", "una suite", "la familiar", "una individual",
        "una habitación doble", "un cuarto triple", "la ejecutiva", "una habitación familiar", "la suite",
        "una habitacion para dos", "una matrimonial", "una doble con balcón", "un cuarto", "una habitación",
        "una pieza", "algo"]
ROOM_EN = ["a double room", "a single", "a suite", "a family room", "an executive room", "a twin room", "a room",
           "a triple"]
AMEN = ["pileta", "piscina", "wifi", "desayuno", "cochera", "estacionamiento", "gimnasio", "gym", "spa",
        "restaurante", "bar", "aire acondicionado", "lavandería", "room service", "caja fuerte", "traslado al aeropuerto",
        "transfer", "sauna", "jacuzzi", "internet", "parking", "servicio a la habitación", "recepción 24 horas",
        "acceso para silla de ruedas", "ascensor", "terraza", "calefacción", "secador de pelo", "frigobar", "tele"]
AMEN_EN = ["a pool", "wifi", "breakfast", "parking", "a gym", "a spa", "room service", "air conditioning",
           "a restaurant", "a bar", "airport shuttle", "laundry", "a safe", "wheelchair access"]
PETS = ["mi perro", "mi perrita", "el gato", "mascotas", "mi mascota", "un perro chiquito"]
REF = ["HA-7K2M9Q", "HA-3PX8LD", "ABX123", "la reserva 45872", "el código HA-99ZQ1T", "RES-2231", "HA-M4N7B2"]
CITY_PLACES = ["el centro", "el aeropuerto", "la terminal de micros", "el obelisco", "la cancha", "plaza serrano",
               "el subte", "palermo", "recoleta", "el estadio"]

PRE = ["", "", "", "", "hola ", "hola, ", "buenas, ", "buen día, ", "che ", "disculpá, ", "una consulta, ",
       "buenas tardes. ", "hola que tal, ", "ey ", "holis ", "consulta: ", "perdón, ", "buenas noches, "]
SUF = ["", "", "", "", "?", "??", "!", " gracias", " 🙏", " 😊", " porfa", " por favor", ".", " gracias!", " xfa",
       "...", " 🙂", " desde ya gracias", " o no?", ", sí o no?"]
PRE_EN = ["", "", "hi, ", "hello, ", "hey ", "quick question: ", "good morning, "]
SUF_EN = ["", "", "?", "!", " thanks", " please", " 🙏", "."]

def pick(xs):
    return R.choice(xs)

T = {}
T["check_availability"] = [
    "tenés algo libre {d}", "tienen disponibilidad {d}", "hay lugar {d}", "hay habitaciones disponibles {d}",
    "queda algo {d}", "tendrían {r} {d}", "tenés {r} libre {d}", "hay disponibilidad {d} {g}",
    "quería saber si hay lugar {d} {g}", "les queda {r} para {d}", "está todo ocupado {d}?", "hay cupo {d}",
    "tienen {r} disponible {d}", "consulto disponibilidad {d}", "disponibilidad {d}", "tienen lugar {g} {d}",
    "necesito saber si tienen {r} {d}", "me fijo si hay algo {d} {g}", "hay habitación {d}",
    "les quedan habitaciones libres {d}?", "andan con lugar {d}", "tenes lugar {d} {g}",
    "estan completos {d}?", "habra algo libre {d}", "busco alojamiento {d} {g}", "hay algo para {g} {d}",
    "¿hay disponibilidad de {r} {d}?", "qué tienen libre {d}", "tendrán lugar {d}", "tenés disponible {r}?",
    "hay vacantes {d}", "queda alguna habitación {d}", "tienen cuartos libres {d}", "se puede ir {d}? {g}",
    "necesito {r} {d}, hay?", "estoy buscando {r} {d}", "buscamos lugar {d} {g}", "hay algo {d}",
]
T["check_availability_en"] = ["do you have availability {d}", "any rooms available {d}", "is there a room free {d} {g}",
    "do you have {r} {d}", "are you fully booked {d}", "any vacancy {d}", "looking for {r} {d}",
    "can you check availability {d} {g}", "anything available {d}", "do you have space {g} {d}"]
T["make_reservation"] = [
    "quiero reservar {r} {d}", "reservame {r} {d}", "resérvame {r} {d}", "quiero hacer una reserva {d} {g}",
    "dale, reservá {d}", "me gustaría reservar {r} {d} {g}", "quiero reservar", "hacé la reserva {d}",
    "necesito reservar {r} {g} {d}", "agendame {r} {d}", "quiero confirmar la reserva {d}", "anotame {d} {g}",
    "bloqueame {r} {d}", "quiero tomar {r} {d}", "me la quedo, reservala", "reservo {r} {d}",
    "quisiera reservar {r} {d} {g}", "haceme la reserva {g} {d}", "vamos con la reserva {d}",
    "quiero sacar {r} {d}", "reservá {r} a nombre de Juan Pérez", "cerramos la reserva {d}",
    "resevar {r} {d}", "quiero resrvar {d}", "me anotás {g} {d}?", "quiero dejar reservado {r} {d}",
    "podés reservarme {r} {d}?", "cómo hago para reservar {d}", "puedo reservar {r} {d}?",
    "reserva {r} {d} {g}", "hacemos la reserva {d}", "me reservás {r}?", "quiero la {r} {d}, reservá",
    "separame {r} {d}", "quiero reservar {d}, mi nombre es Ana Gómez", "confirmame {r} {d}",
]
T["make_reservation_en"] = ["i want to book {r} {d}", "book {r} {d} {g}", "i'd like to make a reservation {d}",
    "please reserve {r} {d}", "can i book {r} {d}", "let's book it {d}", "reserve it for me {d}",
    "i want to make a booking {g} {d}", "go ahead and book {r}", "book me in {d}"]
T["cancel_reservation"] = [
    "quiero cancelar mi reserva", "cancelá la reserva {ref}", "necesito cancelar {ref}", "anulá mi reserva",
    "cancelar reserva {ref}", "no vamos a poder ir, cancelen", "quiero dar de baja la reserva {ref}",
    "cancelame todo", "quiero anular la reserva {d}", "al final no viajo, cancelá", "cancelen la reserva por favor",
    "se nos cayó el viaje, quiero cancelar", "como cancelo mi reserva", "puedo cancelar {ref}?",
    "me surgió un imprevisto, cancelo", "dejen sin efecto la reserva {ref}", "borrá mi reserva",
    "cancelar", "quiero cancelar la reserva de {d}", "anular reserva {ref}", "cancelo la reserva que tenía {d}",
    "no voy a ir, anulala", "necesito anular mi reserva {ref}", "cansela la reserva", "kiero cancelar",
    "quiero cancelar la habitación que reservé", "ya no la necesito, cancelala", "cancelen lo mío {ref}",
    "quiero la cancelación de la reserva {ref}", "por favor den de baja mi reserva",
]
T["cancel_reservation_en"] = ["i want to cancel my booking", "cancel reservation {ref}", "please cancel my reservation",
    "i need to cancel {ref}", "how do i cancel my booking", "we can't make it, cancel please"]
T["modify_reservation"] = [
    "quiero cambiar la fecha de mi reserva", "puedo pasar la reserva {d}?", "cambiá mi reserva {d}",
    "quiero modificar la reserva {ref}", "necesito agregar una noche", "podemos cambiar a {r}?",
    "quiero mover la reserva {d}", "cambiar fechas {ref}", "en vez de {d} quiero otro día", "agregá una persona más",
    "quiero extender la estadía {d}", "se puede adelantar la llegada?", "modificar reserva", "quiero sumar {g}",
    "cambiame la habitación a {r}", "quisiera correr la reserva un día", "podés cambiar la reserva {ref} {d}?",
    "necesito cambiar la cantidad de personas", "quiero una noche menos", "cambiá las fechas {d}",
    "quiero cambiar {r} por otra", "necesito modificar mi reserva {ref} {d}", "reprogramar la reserva {d}",
    "quiero pasar de {r} a una suite", "cambiar el check in {d}", "agregar desayuno a mi reserva",
    "quiero quedarme una noche más", "llegamos un día después, se puede cambiar?", "mofidicar reserva {ref}",
    "podria modificar la reserva?", "quiero actualizar mi reserva",
]
T["modify_reservation_en"] = ["i want to change my booking dates", "can i move my reservation {d}",
    "modify booking {ref}", "add one more night please", "change my room to {r}", "i need to change my reservation"]
T["check_reservation"] = [
    "quiero ver mi reserva", "está confirmada mi reserva {ref}?", "me pasás los datos de mi reserva",
    "cuál es el estado de mi reserva {ref}", "tengo una reserva {ref}, la podés buscar?", "revisá mi reserva",
    "quiero confirmar que tengo reserva {d}", "me llegó la confirmación?", "quiero consultar mi reserva {ref}",
    "está todo ok con mi reserva?", "a nombre de quién está la reserva {ref}", "tengo reserva {d}, está bien?",
    "me decís qué reservé", "no me llegó el mail de confirmación", "está vigente mi reserva {ref}?",
    "buscá mi reserva a nombre de Juan Pérez", "quiero chequear mi reserva", "mi reserva {ref} sigue en pie?",
    "tengo el código {ref}, qué tengo reservado", "me confirmás mi reserva?", "verificar reserva {ref}",
    "qué fechas tengo reservadas", "estado de reserva {ref}", "mi reserva quedó hecha?", "me recordás mi reserva",
    "se registró bien mi reserva?", "kiero ver mi reserva", "detalle de mi reserva {ref}",
]
T["check_reservation_en"] = ["can you check my booking {ref}", "is my reservation confirmed", "what's the status of my booking",
    "i have a reservation {ref}, can you look it up", "show me my booking", "did my reservation go through"]
T["ask_price"] = [
    "cuánto sale {r} {d}", "cuánto cuesta la noche", "qué precio tiene {r}", "precio {d} {g}", "cuánto es {d}",
    "tarifas?", "qué valor tiene la {r}", "cuánto me sale {d} {g}", "precio por noche de {r}", "cuánto cobran",
    "a cuánto está la noche", "cuanto sale", "valores de {r}", "tienen promos?", "hay descuento por semana?",
    "cuánto sería en total {d}", "cotización {d} {g}", "me pasás precios?", "qué tarifa tienen {d}",
    "el desayuno está incluido en el precio?", "cuánto sale en dólares", "aceptan tarjeta? cuanto sale",
    "cuanto está {r}", "presupuesto {d} {g}", "cuánto vale", "es muy caro?", "cuánto sale la suite",
    "cuanto sale por persona", "precio con desayuno", "qué costo tiene {d}", "cuánto me cobrarías {g}",
    "quanto sale la noche", "cuanto cuezta", "tienen precio especial para grupos?", "el precio incluye impuestos?",
]
T["ask_price_en"] = ["how much is {r} {d}", "what's the price per night", "rates for {d}", "how much does it cost",
    "what are your rates", "any discounts?", "price for {g} {d}", "how much for {r}"]
T["ask_room_types"] = [
    "qué tipos de habitación tienen", "qué habitaciones hay", "cómo son las habitaciones", "tienen suites?",
    "qué diferencia hay entre la doble y la suite", "cuántas camas tiene la {r}", "la {r} tiene balcón?",
    "qué incluye la {r}", "tienen habitaciones familiares?", "qué opciones de cuarto tienen",
    "me contás de las habitaciones", "la matrimonial tiene cama king?", "las habitaciones tienen vista?",
    "cuántas personas entran en la {r}", "tienen cuartos con dos camas?", "qué tamaño tiene la {r}",
    "hay habitaciones con cocina?", "que cuartos tienen", "me mandás fotos de las habitaciones",
    "la {r} tiene baño privado?", "tienen habitación para 5?", "tipos de cuarto", "qué categorías de habitación hay",
    "la suite tiene jacuzzi?", "cómo es la habitación ejecutiva", "las habitaciones son grandes?",
    "tienen camas separadas?", "que habitasiones tienen", "hay cuartos con bañera?", "qué es la habitación familiar",
]
T["ask_room_types_en"] = ["what room types do you have", "what kind of rooms are there", "tell me about the suite",
    "does the double have a balcony", "do you have family rooms", "how big is the executive room"]
T["ask_amenities"] = [
    "tienen {a}?", "hay {a}?", "el hotel tiene {a}", "incluye {a}?", "cuentan con {a}?", "se puede usar {a}?",
    "tienen {a} y {a2}?", "qué servicios tienen", "hay {a} en la habitación?", "el {a} es gratis?",
    "a qué hora abre {a}", "aceptan {p}?", "puedo ir con {p}?", "se admiten mascotas?", "es pet friendly?",
    "tienen {a} incluido", "está incluido {a}?", "qué amenities tienen", "tiene {a} la habitación?",
    "hay {a} para huéspedes?", "el {a} se paga aparte?", "tienen {a} o {a2}?", "ofrecen {a}?",
    "hay lugar para estacionar el auto?", "hay donde dejar el auto?", "la clave del wifi?", "funciona el {a}?",
    "tienen servicio de {a}", "qué incluye la estadía", "hay {a} climatizada?", "puedo llevar a {p}",
    "tienen ascensor?", "tiene accesibilidad para silla de ruedas?", "tienen cuna para bebé?",
]
T["ask_amenities_en"] = ["do you have {a}", "is there {a}", "is {a} included", "are pets allowed", "can i bring my dog",
    "what amenities do you offer", "does the room have {a}", "is the wifi free"]
T["ask_location"] = [
    "dónde están ubicados", "cuál es la dirección", "cómo llego desde {pl}", "están cerca de {pl}?",
    "a cuántas cuadras de {pl} están", "me pasás la ubicación", "dónde queda el hotel", "qué tan lejos está {pl}",
    "cómo llego al hotel", "mandame la ubicación por maps", "en qué barrio están", "hay subte cerca?",
    "cómo voy desde {pl}", "queda lejos de {pl}?", "qué hay cerca del hotel", "cuánto sale un taxi desde {pl}",
    "la dirección exacta?", "dónde están", "en qué calle queda", "la zona es segura?", "están en el centro?",
    "qué colectivo me deja cerca", "hay restaurantes cerca?", "donde kedan", "ubicacion?", "pasame el pin",
    "a qué distancia está {pl}", "se puede ir caminando a {pl}?", "cómo es la zona",
]
T["ask_location_en"] = ["where are you located", "what's the address", "how do i get there from {pl}",
    "how far is it from the airport", "is it close to downtown", "send me the location"]
T["ask_policies"] = [
    "a qué hora es el check in", "hasta qué hora es el check out", "cuál es la política de cancelación",
    "se puede hacer late check out?", "puedo llegar temprano?", "piden seña?", "cómo se paga", "aceptan tarjeta?",
    "se puede fumar?", "los chicos pagan?", "hay que dejar depósito?", "aceptan mercado pago?",
    "puedo cancelar sin cargo?", "qué documentos piden", "cobran el iva a extranjeros?", "hasta cuándo puedo cancelar",
    "aceptan transferencia?", "early check in tiene costo?", "a que hora puedo entrar", "hora de salida?",
    "se puede pagar en efectivo?", "cobran algo por cancelar?", "menores de edad pueden alojarse solos?",
    "hay que pagar por adelantado?", "qué pasa si llego tarde a la noche", "aceptan dólares?",
    "cuál es el horario de check in y check out", "puedo dejar las valijas antes del check in?",
    "las mascotas pagan extra?", "reembolsan si cancelo?", "politica de cancelacion", "hay que pagar seña?",
    "puedo pagar en cuotas?", "se puede hacer check in a la madrugada?", "cobran recargo con tarjeta?",
]
T["ask_policies_en"] = ["what time is check in", "what's your cancellation policy", "can i check out late",
    "do you take credit cards", "is there a deposit", "is smoking allowed", "do kids stay free", "when is checkout"]
T["greeting"] = [
    "hola", "buenas", "buen día", "buenas tardes", "buenas noches", "hola!", "holaa", "holaaa buenas", "hola que tal",
    "qué tal", "buenas buenas", "hola cómo andás", "hola, cómo están?", "ey", "holis", "hola hola", "buen dia!!",
    "saludos", "hola 👋", "buenas, qué tal?", "hola, todo bien?", "cómo va?", "alo", "buenass", "hola buen día",
    "muy buenas", "hola gente", "hola equipo", "holaaaa 😊", "hola, alguien ahí?", "buenas tardes, cómo le va",
]
T["greeting_en"] = ["hi", "hello", "hey", "good morning", "good evening", "hi there", "hello!", "hey 👋", "howdy",
    "hi, how are you"]
T["goodbye"] = [
    "chau", "chau gracias", "nos vemos", "hasta luego", "adiós", "gracias, chau", "listo, gracias", "mil gracias, chau",
    "bueno, hasta pronto", "abrazo", "saludos, chau", "me voy, gracias", "hasta mañana", "besos", "chauu",
    "nada más, gracias", "eso es todo, gracias", "gracias por todo", "ok gracias, nos vemos", "buenas noches, chau",
    "perfecto, hasta luego", "un saludo", "chaito", "genial gracias, chau", "todo claro, hasta luego 👋",
    "gracias por la info, chau", "que tengas buen día", "bye", "me despido", "hasta la próxima",
]
T["goodbye_en"] = ["bye", "goodbye", "see you", "thanks, bye", "that's all, thank you", "have a nice day",
    "see you soon", "thanks a lot, goodbye"]
T["affirm"] = [
    "sí", "si", "dale", "ok", "de una", "perfecto", "sí, por favor", "claro", "obvio", "genial", "joya", "bárbaro",
    "sí, confirmo", "confirmo", "está bien", "ok dale", "sisi", "siii", "correcto", "exacto", "así es", "va",
    "de acuerdo", "me parece bien", "sí, esa", "buenísimo", "sí sí", "dale 👍", "👍", "ok perfecto", "afirmativo",
    "sí, dale nomás", "listo", "sí, está bien así", "eso mismo", "esa me sirve", "sí, reservala", "me sirve",
    "por supuesto", "sí, correcto", "okey", "oki", "dale dale", "va de una",
]
T["affirm_en"] = ["yes", "yeah", "sure", "ok", "yes please", "sounds good", "correct", "that's right", "perfect", "yep"]
T["deny"] = [
    "no", "no gracias", "nop", "para nada", "no, está bien", "mejor no", "no quiero", "negativo", "ni ahí",
    "no, gracias igual", "nah", "no, esa no", "no me sirve", "no, otra", "noo", "no por ahora", "no, cambié de idea",
    "tampoco", "no, dejalo", "no es eso", "no, incorrecto", "no, así no", "no no", "no, no hace falta", "ninguna",
    "no me convence", "no, está mal", "no, gracias 🙏", "mmm no", "no, nada",
]
T["deny_en"] = ["no", "no thanks", "nope", "not really", "no, that's wrong", "no need", "not now", "nah"]
T["help"] = [
    "ayuda", "qué podés hacer", "cómo funciona esto", "no entiendo", "me ayudás?", "necesito ayuda", "qué opciones tengo",
    "con qué me podés ayudar", "cómo es esto?", "menú", "opciones", "qué hago ahora", "no sé cómo seguir",
    "qué puedo preguntarte", "cómo uso esto", "me explicás cómo funciona", "help", "ayudaaa", "estoy perdido",
    "para qué sirve este chat", "sos un bot?", "qué sabés hacer", "me ayudas", "necesito una mano",
    "qué servicios ofrece este chat", "cómo reservo por acá?", "instrucciones", "no me queda claro",
]
T["help_en"] = ["help", "what can you do", "how does this work", "i need help", "i'm lost", "what are my options",
    "are you a bot", "menu"]
T["request_human"] = [
    "quiero hablar con una persona", "pasame con alguien", "quiero hablar con un humano", "hay alguien real?",
    "necesito hablar con recepción", "pasame con un operador", "quiero hablar con alguien ya", "me atiende una persona?",
    "no quiero hablar con un bot", "dame con el encargado", "quiero hablar con el gerente", "llamame por teléfono",
    "pésimo servicio, quiero hablar con alguien", "es una vergüenza, pasame con un responsable", "un humano por favor",
    "necesito un agente", "me podés comunicar con alguien del hotel", "quiero que me llame alguien",
    "basta de bot", "atención al cliente", "esto no funciona, quiero una persona", "persona real por favor",
    "me comunico con recepción?", "hay algún número para llamar", "quiero un asesor", "derivame con alguien",
    "me tienen harto, quiero hablar con alguien", "estoy re enojado, pasame con el gerente", "necesito hablar con alguien urgente",
    "el bot no me entiende, quiero una persona", "quiero hacer un reclamo", "tengo una queja", "operador",
]
T["request_human_en"] = ["i want to talk to a human", "let me speak to a person", "agent please", "connect me to the front desk",
    "i want to speak to the manager", "this is useless, get me a real person", "call me please", "terrible service, i want a manager"]
T["out_of_scope"] = [
    "quién ganó el partido ayer", "contame un chiste", "cuál es la capital de francia", "qué hora es en japón",
    "me recomendás una película", "cómo está el dólar hoy", "sabés cocinar?", "cuánto es 2 más 2",
    "quién es el presidente", "qué opinás de messi", "tenés novia?", "escribime un poema", "cómo se hace un asado",
    "jajaja", "asdfgh", "me aburro", "qué signo sos", "cuál es el sentido de la vida", "hablas chino?",
    "recomendame una serie", "qué es la fotosíntesis", "vendés autos?", "necesito un plomero", "hace frío afuera?",
    "qué tiempo va a hacer mañana", "me prestás plata", "cómo arreglo mi celular", "quién es el mejor de la historia",
    "quiero comprar una bici", "ganó boca?", "me ayudás con la tarea de matemática", "traducime esto al inglés",
    "cuántos años tenés", "qué comiste hoy", "tenés instagram?", "cómo bajo de peso", "lol", "🤣🤣", "xd",
    "dónde compro entradas para el recital", "me hacés un resumen de la segunda guerra", "cómo invierto en bitcoin",
]
T["out_of_scope_en"] = ["who won the game last night", "tell me a joke", "what's the capital of france", "what's the weather like",
    "recommend me a movie", "how do i fix my laptop", "what is the meaning of life", "write me a poem", "lol", "do you like pizza"]

ADD = {'check_availability': ['hay cuarto para {d}', 'tienen habitación para {d}', 'hay habitaciones para {d}?', 'tendrás algo para {d}', 'hay algo libre para hoy a la noche', 'necesito un cuarto para hoy', 'tienen lugar para esta noche', 'hay cama para {d}', 'me quedan días libres {d}? busco {r}', 'ustedes tienen disponible {d}?', 'disponen de {r} {d}', 'hay lugar disponible para {g}', 'está libre {r} {d}?', 'quedan cuartos {d}', 'busco cuarto {d}'], 'cancel_reservation': ['anulen mi reserva {d}', 'anulen la estadía', 'quiero anular mi estadía {d}', 'den de baja la reserva {d}', 'no vamos a ir {d}, cancelen', 'cancelá mi estadía {d}', 'eliminar mi reserva', 'suspendé la reserva {ref}', 'no viajamos más, cancelo'], 'modify_reservation': ['quiero correr la reserva {d}', 'corré mi reserva {d}', 'quiero extender mi reserva {d}', 'puedo extender la reserva hasta {d}?', 'quiero alargar la estadía', 'me quedo hasta {d}, se puede cambiar?', 'quiero pasar mi reserva {d}', 'mover mi estadía {d}', 'se puede postergar la reserva?', 'cambiar mi reserva {ref} a {r}', 'quiero irme un día antes', 'pasame la reserva para otra fecha', 'en lugar de {g} vamos a ser más', 'cambio de fecha {ref}', 'quiero cambiar el nombre de la reserva'], 'check_reservation': ['sigue en pie mi reserva?', 'lo que reservé {d} está confirmado?', 'sigue vigente lo que reservé?', 'qué reservé al final?', 'tienen registrada mi reserva {d}?', 'me figura la reserva?', 'se hizo bien la reserva {ref}?', 'tengo algo reservado {d}?', 'qué cuarto me asignaron?', 'me confirman si está mi reserva', 'quedó confirmada la reserva {d}?'], 'ask_room_types': ['cuántas personas entran en {r}', 'cuántas personas duermen en la {r}', 'cómo son las piezas', 'me mostrás las habitaciones?', 'cómo es {r}?', 'qué trae la {r}', 'tiene vista la {r}?', 'mostrame fotos de los cuartos', 'qué capacidad tiene la {r}', 'las piezas cómo son?', 'la {r} es amplia?', 'qué habitaciones tienen para {g}', 'tienen cuartos con vista al mar?'], 'ask_amenities': ['los cuartos tienen {a}?', 'el cuarto tiene {a}?', 'la habitación viene con {a}?', 'aceptan {p}', 'se permiten {p}?', 'dejan entrar {p}?', 'se puede ir con {p}', 'aceptan animales?', 'hay {a} en el hotel?', 'tiene {a}?', 'cuenta el hotel con {a}?', 'anda bien el {a}?', 'dónde está {a}?'], 'ask_policies': ['me devuelven el dinero si cancelo?', 'si cancelo pierdo la plata?', 'se permite fumar?', 'se puede fumar en las habitaciones?', 'se permite fumar en el balcón?', 'me reintegran si cancelo?', 'hay penalidad por cancelar?', 'qué pasa si cancelo?', 'hasta qué hora puedo quedarme el último día?', 'a partir de qué hora puedo entrar?', 'cobran extra por los chicos?', 'formas de pago?', 'hay que abonar algo antes?', 'puedo pagar al llegar?'], 'greeting': ['hola, alguien me lee?', 'hola, está alguien?', 'buenas, hay alguien ahí?', 'buenas, me atienden?', 'good day', 'hola buenas tardes', 'buenas tardes, qué tal', 'hola qué tal todo bien', 'hola!! 😊', 'buenos días', 'buen día, cómo están?'], 'help': ['qué opciones hay?', 'estoy hablando con un robot?', 'sos humano o bot?', 'esto es automático?', 'es un contestador automático?', 'cómo sigo?', 'qué tengo que hacer?', 'no entiendo qué tengo que poner', 'me guiás?', 'mostrame el menú', 'qué puedo hacer acá?'], 'request_human': ['me pasás con alguien de carne y hueso?', 'quiero hablar con alguien de verdad', 'no quiero un robot, quiero una persona', 'que me atienda una persona', 'necesito hablar con un humano urgente', 'pasame con recepción', 'quiero hablar con alguien del hotel', 'me pueden llamar?', 'comunicame con el encargado'], 'out_of_scope': ['a cuánto está el dólar?', 'a cuánto cotiza el euro hoy', 'cuánto pesa un elefante', 'cuánto dura un partido de fútbol', 'cuál es el río más largo', 'cuántos habitantes tiene buenos aires', 'zxcvb', 'aaaa', 'hmmm', 'test', 'prueba', '??', '...', 'me gusta el helado', 'el perro de mi vecino ladra mucho', 'qué día es hoy', 'quién inventó la radio', 'cómo se dice hola en alemán', 'me pasás un link para ver el partido'], 'affirm': ['sí, de acuerdo', 'ok, así está bien', 'está perfecto así', 'sí, exacto', 'si obvio', 'confirmado', 'dale, perfecto', 'bueno dale', 'ok genial', 'sí sí, esa', 'claro, dale', 'sí señor'], 'deny': ['no, para nada', 'no me interesa', 'ni loca', 'olvidate', 'no, dejá', 'no, no quiero', 'no, otra cosa', 'no, eso no', 'no, gracias, está bien así', 'no hace falta'], 'goodbye': ['muchas gracias, hasta luego', 'gracias, chau!', 'bueno, chau', 'nos hablamos', 'hasta pronto', 'adiós, gracias por todo', 'gracias, buenas noches', 'gracias, que tengas buen finde', 'saludos!', 'listo, chau chau'], 'ask_price': ['cuánto sale {d}', 'qué precio tiene {d}', 'cuánto cuesta {r}', 'precios para {g}', 'la noche cuánto sale?', 'cuánto es por noche {g}', 'cuánto saldría la estadía', 'tarifa de {r}', 'cuánto me saldría', 'qué precio me hacés por {g}'], 'make_reservation': ['reservame {r} para {g}', 'quiero dejar reservado {d}', 'reservá {r} {d} a nombre de Carla Díaz', 'hacé la reserva nomás', 'quiero asegurar {r} {d}', 'tomá la reserva {d} {g}']}
ADD_EN = {'greeting': ['good day', 'hey, anyone there?', 'hello, is anyone there'], 'help': ['am i talking to a bot', 'is this automated', 'how does this chat work'], 'request_human': ['i need a real person', 'can a human help me', 'put me through to reception', 'get me a manager'], 'out_of_scope': ["what's the dollar exchange rate", 'how tall is the eiffel tower', 'asdf', 'test'], 'ask_policies': ['can i smoke in the room', 'do i get a refund if i cancel', 'how can i pay'], 'ask_amenities': ['do the rooms have {a}', 'do you accept cats'], 'check_availability': ['do you have a room for tonight', 'any rooms for {d}']}
for k, v in ADD.items():
    T[k] = T[k] + v
for k, v in ADD_EN.items():
    T[k + '_en'] = T.get(k + '_en', []) + v

MORE = {
"affirm": ["la 2", "la segunda", "la primera", "la 1", "opción 1", "opcion 2", "la tercera", "esa, la 3", "la 2 porfa", "me quedo con la primera",
  "quiero la segunda opción", "la número 1", "la 3", "dale, la 2", "esa", "esa misma", "la primera opción está bien", "1", "2"],
"check_availability": ["vamos {g} {d}, hay lugar?", "queremos ir {d} {g}", "estamos pensando en ir {d}", "viajamos {d}, tienen algo?",
  "llegamos {d} y nos vamos {d2}", "llego {d} y me voy {d2}, hay disponibilidad?", "entramos {d} y salimos {d2}",
  "nos quedaríamos {d}", "pensábamos ir {d} {g}", "caemos {d}, hay lugar?", "vamos a estar {d}, tienen {r}?"],
"make_reservation": ["llegamos {d} y nos vamos {d2}, reservá {r}", "reservame desde {d} hasta {d2}", "vamos {g} {d}, reservá"],
}
MORE_EN = {
"affirm": ["the second one", "option 2", "the first one", "number 3", "that one"],
"check_availability": ["we arrive {d} and leave {d2}, any rooms?", "we're coming {d}, do you have space?"],
}
for k, v in MORE.items():
    T[k] = T[k] + v
for k, v in MORE_EN.items():
    T[k + '_en'] = T.get(k + '_en', []) + v

# Issue 13: how guests really write mid-conversation (confirmations with extra words, picks, corrections, complaints,
# greetings with typos, questions about one option, facts asked while booking).
ROOM2 = ["la doble", "la suite", "la simple", "la triple", "la familiar", "la ejecutiva", "una suite", "una doble", "la matrimonial"]
ISSUE13 = {
"greeting": ["ola", "ola!", "ola buenas", "ola que tal", "hla", "hla buenas", "wenas", "wenas wenas", "holi", "holi!!", "bns dias",
  "buenass tardes", "hola hola, que tal?", "ola, buen dia", "buen diaa", "holaa como va", "ola gente"],
"request_human": ["quiero hablar con alguien de recepción ya", "me podés pasar con alguien del hotel?", "me cobraron dos veces!!!", "me cobraron dos veces la reserva", "me debitaron doble", "me cobraron de más y nadie me responde",
  "quiero que me devuelvan la plata ya", "los voy a denunciar", "voy a hacer la denuncia en defensa del consumidor", "me estafaron",
  "esto es una estafa, devuelvanme la plata", "quiero hacer un reclamo por un cobro", "tengo un cargo duplicado en la tarjeta",
  "me cobraron y no tengo reserva", "hablo con mi abogado", "son unos chantas, me cobraron mal", "reclamo urgente, me cobraron doble"],
"affirm": ["si, cancelala", "sí, cancelala nomás", "si, confirmame", "sí, confirmámela", "dale, reservala", "dale, reservámela", "si, hacela",
  "sí, cambiala", "si porfa", "si, dale, confirmá", "sí, está bien, reservá", "dale, la {r2}", "me quedo con {r2}", "quiero {r2}, dale",
  "esa", "esa dale", "esa misma, reservala", "la más barata", "la mas barata porfa", "la de {n}", "la de {n} personas", "la opción {n}",
  "ok", "okey dale", "genial", "perfecto, dale", "joya", "bárbaro", "buenísimo, dale", "si, a mi nombre", "sí, a nombre mío",
  "sí, anulala", "si si, cancelá", "dale, confirmo"],
"deny": ["no, mejor lo dejo para otro momento", "no, otro día será", "no, por ahora paso", "no, gracias, lo pienso", "no, dejala", "no, dejala como está", "no la cancelo", "no, mejor no la cancelo", "no, no reserves", "no, no la reserves todavía",
  "nah, dejalo", "no, así está bien", "no, no cambies nada", "no, todavía no", "no, esperá", "no, esa no me gusta"],
"cancel_reservation": ["quiero dar de baja la reserva a nombre de María López", "dar de baja mi reserva", "quiero dar de baja la estadía {d}"],
"modify_reservation": ["no, mejor {d}", "no no, mejor {d}", "mejor {d}", "mejor cambialo a {d}", "perdón, era {d}", "me equivoqué, es {d}",
  "en vez de {r2} quiero {r2b}", "cambiá {r2} por {r2b}", "cambiar {r2} por {r2b}", "pasame de {r2} a {r2b}", "pasar la reserva al {dd}",
  "mové la reserva al {dd}", "cambiala al {dd}", "quiero pasar mi reserva al {dd}"],
"ask_amenities": ["tienen {a}? cuánto sale?", "tienen {a}? cuanto cuesta?", "hay {a}? precio?", "el {a} está incluido?", "{a} incluido?",
  "viene con {a}?", "incluye {a} la tarifa?", "la suite tiene jacuzzi?", "alguna habitación tiene jacuzzi?", "tiene hidromasaje la suite?"],
"ask_policies": ["tiene costo cancelar?", "me cobran si cancelo?", "me van a cobrar algo?", "si cancelo pago algo?", "puedo dejar las valijas?",
  "me guardan el equipaje?", "puedo dejar la valija antes de entrar?", "se puede dejar equipaje después del check out?", "hay multa por cancelar?"],
"ask_price": ["la más barata cuánto sale?", "cuál es la más barata?", "la mas barata q tengas", "qué es lo más económico que tienen?",
  "cuánto sale {r2}?", "y {r2} cuánto sale?", "y {r2}?", "{r2} cuánto está?", "cuánto es {r2} en total?"],
"ask_room_types": ["{r2} tiene jacuzzi?", "{r2} tiene hidromasaje?", "{r2} tiene balcón?", "{r2} tiene escritorio?", "{r2} tiene bañera?", "qué diferencia hay entre {r2} y {r2b}?", "qué diferencia tiene {r2} con {r2b}?", "en qué se diferencian {r2} y {r2b}?",
  "entran {n} en {r2}?", "caben {n} en {r2}?", "qué incluye {r2}?", "{r2} tiene balcón?", "cuántas camas tiene {r2}?"],
"check_availability": ["somos una pareja con un bebé", "vamos con mi pareja y un nene", "seríamos {n}, {g}", "somos {n}: {g}", "{g}, {d}", "somos una familia de {n}", "una familia de {n}, hay lugar {d}?", "{n} persnas {d}", "la semana que viene, del lunes al jueves",
  "del martes al viernes de la semana que viene", "una sola noche {d}", "solo una noche, {d}"],
"make_reservation": ["reservame {r2}", "reservame {r2} {d}", "quiero {r2} {d}, una sola noche", "reservá {r2} para {g}"],
}
ISSUE13_EN = {
"affirm": ["yes, cancel it", "yes please cancel it", "yes, book it", "yes go ahead and book it", "sure, confirm it", "ok do it", "that one",
  "the cheapest one", "the one for {n}", "yes, under my name"],
"deny": ["no, keep it", "no, don't cancel", "not yet", "no, leave it as it is"],
"request_human": ["can I talk to someone?", "can I speak with a real person?", "is there someone I can talk to?", "could you put me through to a person", "you charged me twice!", "i was double charged", "i want my money back now", "this is a scam, i'll report you",
  "i'm calling my lawyer"],
"modify_reservation": ["switch my {re} to a suite", "change the double to a suite", "move my booking to {dd}", "actually make it {d}"],
"ask_room_types": ["what's the difference between the double and the executive room?", "how many people fit in the triple?", "what does the suite include?"],
"check_availability": ["just one night, {d}", "two nights from {d}", "one night only, {d}", "{g}, {d}"],
"cancel_reservation": ["please cancel my stay", "i have to cancel my stay", "cancel my trip please", "i need to cancel, something came up"],
"ask_amenities": ["do you have airport pickup? how much?", "is breakfast included?", "does the suite have a jacuzzi?"],
"ask_policies": ["can i leave my luggage?", "is there a fee to cancel?", "will you charge me anything?"],
"greeting": ["helo", "hii", "hey hi"],
}
for k, v in ISSUE13.items():
    T[k] = T[k] + v
for k, v in ISSUE13_EN.items():
    T[k + '_en'] = T.get(k + '_en', []) + v

GIB = "qwertyuiopasdfghjklzxcvbnm"
def gibberish():
    return "".join(R.choice(GIB) for _ in range(R.randrange(3, 10)))

def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")

def typo(s):
    words = s.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not idx:
        return s
    i = R.choice(idx)
    w = words[i]
    k = R.randrange(1, len(w) - 1)
    op = R.randrange(4)
    if op == 0:
        w = w[:k] + w[k + 1:]
    elif op == 1:
        w = w[:k - 1] + w[k] + w[k - 1] + w[k + 1:]
    elif op == 2:
        w = w[:k] + w[k] + w[k:]
    else:
        w = w[:k] + R.choice("aeiosrnl") + w[k + 1:]
    words[i] = w
    return " ".join(words)

def fill(tpl, en):
    a, a2 = R.sample(AMEN_EN if en else AMEN, 2)
    r2, r2b = R.sample(ROOM2, 2)
    s = tpl.format(d=pick(DATE_EN if en else DATE), d2=pick(DATE2_EN if en else DATE2), g=pick(GUESTS_EN if en else GUESTS), r=pick(ROOM_EN if en else ROOM),
                   a=a, a2=a2, p=pick(PETS), ref=pick(REF), pl=pick(CITY_PLACES), r2=r2, r2b=r2b, n=R.choice([2, 3, 4, 5, 6]),
                   dd=pick(["20 de enero", "5 de marzo", "14", "2 de febrero", "10/1", "sábado", "viernes"] if not en else ["january 20", "march 5", "the 14th"]),
                   re=pick(["double", "single", "triple", "room"]))
    s = " ".join(s.split())
    return s

def variant(s, en):
    pre = pick(PRE_EN if en else PRE)
    suf = pick(SUF_EN if en else SUF)
    if intent_is_short(s):
        pre = "" if R.random() < 0.7 else pre
    s = pre + s + suf
    r = R.random()
    if r < 0.25:
        s = strip_accents(s)
    if R.random() < 0.2:
        s = typo(s)
    if R.random() < 0.15:
        s = s.capitalize()
    if R.random() < 0.05:
        s = s.upper()
    return s

def intent_is_short(s):
    return len(s.split()) <= 2

def key(x):
    x = "".join(c for c in unicodedata.normalize("NFD", x.lower()) if unicodedata.category(c) != "Mn")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in x).split())

HELD_OUT = set()
_here = os.path.dirname(os.path.abspath(__file__))
for _name in ("nlu-eval.jsonl", "nlu-test.jsonl", "nlu-dev.jsonl", "nlu-frozen.jsonl"):
    _p = os.path.join(_here, "..", _name)
    if os.path.exists(_p):
        for _l in open(_p, encoding="utf-8"):
            if _l.strip():
                HELD_OUT.add(key(json.loads(_l)["text"]))

out = []
intents = sorted(k for k in T if not k.endswith("_en"))
for intent in intents:
    es, en = T[intent], T.get(intent + "_en", [])
    seen = set()
    for tpl in es + en:  # every template once, verbatim-ish
        s = fill(tpl, tpl in en)
        if s not in seen and key(s) not in HELD_OUT:
            seen.add(s); out.append({"text": s, "intent": intent})
    tries = 0
    while len(seen) < PER_INTENT and tries < PER_INTENT * 30:
        tries += 1
        use_en = en and R.random() < 0.2
        tpl = pick(en if use_en else es)
        s = variant(fill(tpl, use_en), use_en)
        if s not in seen and key(s) not in HELD_OUT:
            seen.add(s); out.append({"text": s, "intent": intent})

for _ in range(25):
    out.append({"text": gibberish(), "intent": "out_of_scope"})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "nlu-train.jsonl"), "w", encoding="utf-8") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
print(len(out), "examples")

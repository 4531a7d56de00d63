"""The words that make a date, a time, a time ago, a reading time or a count of readers'
actions, folded (``classifier.text.fold``: casefolded, Arabic marks and tatweel dropped), for
the line kernel's ``date_share``: bylines, datelines, "3 hours ago", "5 min read" and "1,204
views" lines are chrome in every language, and their words are few.

A word counts only next to digits (``classifier/_line_text.pyx`` says how), so that "May",
"Mars" or "آب" in prose is not a date, nor "comments" a count."""

# Month names and their usual abbreviations: English, French, German, Spanish, Portuguese,
# Italian, Russian (genitive, as dates write them), Arabic (Egyptian and Gulf forms, and the
# Levantine and Iraqi names), with and without hamza on the alef. Left out: abbreviations
# that are common words next to numbers ("5 out of 10", "set 2").
MONTHS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
janv févr avr juil sept déc
januar februar märz april mai juni juli august september oktober november dezember
jänner
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
ene abr ago dic
janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
fev dez
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
gen giu lug ott dic
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين
""".split())

# The second word of the Levantine two-word months: "كانون الثاني", "تشرين الأول".
MONTH_SUFFIXES = frozenset("الأول الاول الثاني".split())

# Units of a reading time ("5 min read", "قراءة 3 دقائق"), and of a time ago.
DURATIONS = frozenset("""
min mins minute minutes minuten minuto minutos minuti минут минуты минута минуту دقيقة دقيقتان دقيقتين دقائق
""".split())

# The reading in a reading time, and the words that join it to the unit ("5 minutes of reading").
READING = frozenset("""
read reading lecture leitura lettura lesezeit lectura чтения قراءة القراءة للقراءة
""".split())
READING_JOINS = frozenset("of de di من".split())

# Morning and evening after a time ("10:30 pm", "10:30 م").
MERIDIEMS = frozenset("am pm ص م".split())

# The other units of a time ago ("3 hours ago", "hace 2 días", "منذ 3 ساعات"): seconds to
# years in English, Spanish, Portuguese, French, German, Italian, Russian and Arabic.
TIME_UNITS = frozenset("""
second seconds sec secs hour hours hr hrs day days week weeks wk wks month months year years yr yrs
segundo segundos hora horas día días dia dias semana semanas mes meses mês año años ano anos
seconde secondes heure heures jour jours semaine semaines mois an ans année années
sekunde sekunden stunde stunden tag tage tagen woche wochen monat monate monaten jahr jahre jahren
secondo secondi ora ore giorno giorni settimana settimane mese mesi anno anni
секунду секунды секунд час часа часов день дня дней неделю недели недель месяц месяца месяцев год года лет
ثانية ثوان ثواني ثانيتين ساعة ساعات ساعتين يوم أيام ايام يومين أسبوع اسبوع أسابيع اسابيع أسبوعين شهر أشهر اشهر شهور شهرين
سنة سنوات سنين سنتين عام أعوام اعوام
""".split())

# "Ago" after a time ("3 ore fa", "2 часа назад", "2 horas atrás"; English "ago" is a month
# abbreviation, August in Spanish and Italian, which the kernel takes as "ago" there), and
# before it ("hace", "há", "vor", "منذ", "قبل"; French's "il y a" is three words, which the
# kernel reads as such).
AGO = frozenset("fa назад atrás atras".split())
AGO_LEADS = frozenset("hace há vor منذ قبل".split())

# What a page counts of its readers ("١٤ مشاهدة", "814,871 Views", "4 Kommentare", "Views:
# 1,204"): views, comments, likes, shares, replies, followers. Left out: "reads" (a count of
# readers that some gold texts keep) and "قراءة" (a reading time's word).
COUNTS = frozenset("""
view views comment comments like likes share shares reply replies response responses follower followers
vue vues commentaire commentaires partage partages
aufruf aufrufe kommentar kommentare
vista vistas visita visitas comentario comentarios
visualização visualizações comentário comentários
visualizzazione visualizzazioni commento commenti
просмотр просмотра просмотров комментарий комментария комментариев
مشاهدة مشاهدات تعليق تعليقات مشاركة مشاركات إعجاب اعجاب
""".split())

# Each kind of word, by the name the line kernel gives it (``_line_text.DATE_WORD_KINDS``).
WORDS_OF_KIND = {
    "month": MONTHS,
    "month_suffix": MONTH_SUFFIXES,
    "duration": DURATIONS,
    "reading": READING,
    "reading_join": READING_JOINS,
    "meridiem": MERIDIEMS,
    "count": COUNTS,
    "time_unit": TIME_UNITS,
    "ago": AGO,
    "ago_lead": AGO_LEADS,
}

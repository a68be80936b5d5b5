#!/usr/bin/env python3
"""Writes the demo mailbox of gmail-sandbox (Sources/GmailSandbox/DemoMailbox).

Deterministic: the same corpus gives byte-identical output. It copies a
readable selection of the third-party corpus (with attribution) and adds
generated messages that form threads, carry unicode subjects and long sender
names, spread over 2026, and writes labels.json (UNREAD, STARRED, user labels).

Usage: scripts/make-demo-mailbox.py [CORPUS_DIR]
(default: Tests/Fixtures/corpus if present, else /work/shared/corpus)
"""
import base64
import email.header
import json
import os
import random
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "GmailSandbox", "DemoMailbox")

CORPUS_LICENSES = {
    "cpython-test_email": "CPython 3.11 Lib/test/test_email/data (PSF-2.0)",
    "enmime": "enmime 0.9.3 testdata (CC0-1.0)",
    "talon": "talon 1.4.4 tests/fixtures (Apache-2.0)",
    "spamassassin": "SpamAssassin 4.0 doc/examples (Apache-2.0)",
    "flufl-bounce": "flufl.bounce 6.0.0 tests/data (Apache-2.0)",
}

PEOPLE = [
    ("Ada Lovelace", "ada@analytical.example"),
    ("Dr. Maximilian Alexander von Habsburg-Lothringen zu Österreich", "max@habsburg.example"),
    ("山田 太郎", "taro.yamada@example.jp"),
    ("李小龙", "xiaolong.li@example.cn"),
    ("José Ñúñez García", "jose@ejemplo.es"),
    ("François Dupré-Lefèvre", "francois@exemple.fr"),
    ("محمد عبد الله", "mohammed@example.sa"),
    ("שרה כהן", "sarah.cohen@example.il"),
    ("Grace Hopper", "grace@navy.example"),
    ("Linus Torvalds", "linus@kernel.example"),
    ("Ολυμπία Παπαδοπούλου", "olympia@example.gr"),
    ("Build Bot 🤖", "ci@builds.example"),
    ("The Very Long Name Newsletter Team of the International Association of Things", "news@association.example"),
]
ME = ("Demo User", "demo@gmail-tui.example")

SUBJECTS = [
    ("Quarterly planning", "Here are my notes for the planning meeting. Can we move it to Thursday?"),
    ("会議の議事録", "本日の会議の議事録を添付します。ご確認ください。"),
    ("周末一起吃饭吗？", "这个周末有空吗？我们去那家新开的餐厅吧。"),
    ("🎉 Launch day!", "We shipped! Thank you all for the hard work 🚀✨"),
    ("Réunion de l'équipe", "Bonjour à tous, la réunion est déplacée à mercredi."),
    ("تقرير المشروع", "مرحبا، مرفق تقرير المشروع لهذا الأسبوع."),
    ("פגישה מחר", "שלום, האם הפגישה מחר עדיין בתוקף?"),
    ("Año nuevo, código nuevo", "¿Revisaste el cambio en la rama principal?"),
    ("Build #4521 failed ❌", "The nightly build failed on test_unicode_width. See the log."),
    ("Ζητούμενα για την Τρίτη", "Καλημέρα, ορίστε η λίστα για την Τρίτη."),
    ("Re-think the cache layer", "I think we should drop the second cache level; numbers attached below."),
    ("Lunch? 🍜", "Ramen at noon?"),
    ("Invoice 2026-0042", "Please find the invoice for October. Payment due in 30 days."),
    ("Kernel mailing list digest", "Today's topics: scheduler, io_uring, rust bindings."),
    ("Straße, Größe und Maße", "Die Umlaute müssen überall korrekt angezeigt werden: äöüß."),
]

def encode_header(value):
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        return email.header.Header(value, "utf-8").encode()

def address(person):
    name, addr = person
    try:
        name.encode("ascii")
        shown = '"%s"' % name if any(c in name for c in ",.()") else name
    except UnicodeEncodeError:
        shown = email.header.Header(name, "utf-8").encode()
    return "%s <%s>" % (shown, addr)

def rfc2822(ts):
    import time
    t = time.gmtime(ts)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "%s, %02d %s %d %02d:%02d:%02d +0000" % (days[t.tm_wday], t.tm_mday, months[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)

def body_part(text):
    data = base64.encodebytes(text.encode("utf-8")).decode("ascii")
    return ("Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n\n" + data)

def generate(rng):
    messages = {}
    labels = {}
    start = 1767225600  # 2026-01-01
    end = 1795046400    # 2026-11-20
    n = 0
    for t in range(34):
        subject, text = SUBJECTS[t % len(SUBJECTS)]
        if t >= len(SUBJECTS):
            subject = "%s (%d)" % (subject, t)
        base = start + int((end - start) * (t / 34.0)) + rng.randint(0, 86400 * 5)
        if t >= 30:
            base = end - rng.randint(3600, 86400 * 10)  # a few today-ish threads
        replies = rng.choice([1, 1, 2, 3, 4])
        first_id = None
        refs = []
        author = PEOPLE[rng.randrange(len(PEOPLE))]
        for r in range(replies):
            n += 1
            sender = author if r % 2 == 0 else ME
            recipient = ME if sender != ME else author
            mid = "<demo-%03d-%d@gmail-tui.example>" % (t, r)
            subj = subject if r == 0 else ("Re: " + subject)
            if r == 2 and rng.random() < 0.3:
                subj = "Fwd: " + subject
            ts = base + r * rng.randint(600, 86400)
            quoted = "\n\n> " + text if r > 0 else ""
            body = (text if r == 0 else "Thanks, noted. %s" % ["👍", "Sounds good.", "Let's discuss tomorrow.", "D'accord !"][r % 4]) + quoted + "\n"
            headers = [
                "From: " + address(sender),
                "To: " + address(recipient),
                "Subject: " + encode_header(subj),
                "Date: " + rfc2822(ts),
                "Message-ID: " + mid,
            ]
            if refs:
                headers.append("In-Reply-To: " + refs[-1])
                headers.append("References: " + " ".join(refs))
            headers.append("MIME-Version: 1.0")
            if t % 5 == 3 and r == 0:
                boundary = "demo-boundary-%d" % t
                att = base64.encodebytes(("report %d\n" % t).encode() * 40).decode("ascii")
                content = ("Content-Type: multipart/mixed; boundary=\"%s\"\n\n--%s\n" % (boundary, boundary) + body_part(body) +
                           "\n--%s\nContent-Type: text/csv; name=\"report-%d.csv\"\nContent-Disposition: attachment; filename=\"report-%d.csv\"\n"
                           "Content-Transfer-Encoding: base64\n\n%s\n--%s--\n" % (boundary, t, t, att, boundary))
            else:
                content = body_part(body)
            raw = "\n".join(headers) + "\n" + content
            name = "generated/thread-%02d-%d.eml" % (t, r)
            messages[name] = raw
            refs.append(mid)
            l = ["INBOX"] if sender != ME else ["SENT"]
            if sender != ME and rng.random() < 0.4:
                l.append("UNREAD")
            if rng.random() < 0.15:
                l.append("STARRED")
            if t % 4 == 0:
                l.append("Label_1")
            if t % 6 == 1:
                l.append("Label_2")
            labels[name] = l
    # Single notifications to round the count up to about 100.
    for i in range(100 - n):
        sender = PEOPLE[11] if i % 2 == 0 else PEOPLE[12]
        ts = start + rng.randint(0, end - start)
        subj = ["Build #%d passed ✅" % (5000 + i), "Weekly digest №%d" % i][i % 2]
        raw = "\n".join([
            "From: " + address(sender), "To: " + address(ME), "Subject: " + encode_header(subj),
            "Date: " + rfc2822(ts), "Message-ID: <note-%03d@gmail-tui.example>" % i, "MIME-Version: 1.0",
        ]) + "\n" + body_part("Automated message %d. Nothing to do.\n" % i)
        name = "generated/note-%03d.eml" % i
        messages[name] = raw
        labels[name] = ["INBOX", "CATEGORY_UPDATES"] + (["UNREAD"] if rng.random() < 0.5 else [])
    # One recent conversation among three people and the user, so that a conversation row shows several
    # senders. Written after the rest and without the generator, so the messages above stay as they were.
    group = [PEOPLE[0], PEOPLE[9], PEOPLE[8], ME]
    refs = []
    for r, sender in enumerate(group):
        mid = "<demo-group-%d@gmail-tui.example>" % r
        subj = "Conference trip 🧳" if r == 0 else "Re: Conference trip 🧳"
        lines = ["Who is coming to the conference in December?", "Count me in, I will book the train.",
                 "Me too, if the talk is accepted.", "Great, I will reserve four rooms."]
        headers = [
            "From: " + address(sender),
            "To: " + ", ".join(address(p) for p in group if p != sender),
            "Subject: " + encode_header(subj),
            "Date: " + rfc2822(end - 3600 * (30 - 9 * r)),
            "Message-ID: " + mid,
        ]
        if refs:
            headers.append("In-Reply-To: " + refs[-1])
            headers.append("References: " + " ".join(refs))
        headers.append("MIME-Version: 1.0")
        quoted = "\n\n> " + lines[r - 1] if r > 0 else ""
        name = "generated/group-00-%d.eml" % r
        messages[name] = "\n".join(headers) + "\n" + body_part(lines[r] + quoted + "\n")
        refs.append(mid)
        labels[name] = ["SENT"] if sender == ME else (["INBOX", "UNREAD"] if r == 2 else ["INBOX"])
    return messages, labels

def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else None
    if corpus is None:
        local = os.path.join(ROOT, "Tests", "Fixtures", "corpus")
        corpus = local if os.path.isdir(local) else "/work/shared/corpus"
    rng = random.Random(20261121)
    if os.path.isdir(OUT):
        for entry in os.listdir(OUT):
            path = os.path.join(OUT, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    os.makedirs(os.path.join(OUT, "generated"), exist_ok=True)
    labels = {}
    copied = []
    for folder in sorted(CORPUS_LICENSES):
        src = os.path.join(corpus, folder)
        files = []
        for dirpath, _, names in os.walk(src):
            for name in names:
                files.append(os.path.relpath(os.path.join(dirpath, name), src))
        files.sort()
        if folder == "flufl-bounce":
            files = files[:60]
        for rel in files:
            dest_rel = "corpus/%s/%s" % (folder, rel)
            dest = os.path.join(OUT, dest_rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(os.path.join(src, rel), dest)
            copied.append(dest_rel)
            h = sum(ord(c) for c in dest_rel)
            l = ["INBOX"]
            if h % 3 == 0:
                l.append("UNREAD")
            if h % 11 == 0:
                l.append("STARRED")
            if folder == "flufl-bounce":
                l.append("Label_3")
            labels[dest_rel] = l
    generated, glabels = generate(rng)
    for name, raw in sorted(generated.items()):
        with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\r\n") as f:
            f.write(raw)
    labels.update(glabels)
    sidecar = {
        "labels": [
            {"id": "Label_1", "name": "Work"},
            {"id": "Label_2", "name": "Family & Friends"},
            {"id": "Label_3", "name": "Bounces"},
        ],
        "messages": dict(sorted(labels.items())),
    }
    with open(os.path.join(OUT, "labels.json"), "w", encoding="utf-8") as f:
        json.dump(sidecar, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write(README % {"count": len(copied) + len(generated), "copied": len(copied), "generated": len(generated),
                          "sources": "\n".join("| corpus/%s | %s |" % (k, v) for k, v in sorted(CORPUS_LICENSES.items()))})
    print("wrote %d messages (%d from the corpus, %d generated) to %s" % (len(copied) + len(generated), len(copied), len(generated), OUT))

README = """# Demo mailbox of gmail-sandbox

%(count)d RFC 822 messages served by `gmail-sandbox` and `gmail-tui --demo`:
%(copied)d copied from the third-party corpus, %(generated)d generated by
`scripts/make-demo-mailbox.py` (deterministic; rerun it to rebuild this folder).

## Layout

- Every regular file below this folder is one message (any name; `*.md`,
  `*.json` and dot-files are skipped). Subfolders are read too.
- `labels.json` is the labels sidecar:

```json
{"labels": [{"id": "Label_1", "name": "Work"}],
 "messages": {"generated/thread-00-0.eml": ["INBOX", "UNREAD", "Label_1"]}}
```

  `labels` defines user labels; `messages` maps a file's path (relative to
  the mailbox folder) to its label ids (system ids such as `INBOX`, `UNREAD`,
  `STARRED`, `SENT`, `CATEGORY_UPDATES`, or user label ids). A flat object
  without `labels`/`messages` keys is read as the `messages` map. A message
  with no entry gets `INBOX`, and `UNREAD` for a deterministic third of them.

## Sources and licences

| folder | source (licence) |
|---|---|
%(sources)s
| generated | written for this project by scripts/make-demo-mailbox.py |

The corpus files are unmodified copies; none of them was written for this
project. The licences are CC0-1.0 (enmime), PSF-2.0 (CPython) and Apache-2.0
(talon, SpamAssassin, flufl.bounce).
"""

if __name__ == "__main__":
    main()

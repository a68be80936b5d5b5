import Testing
@testable import MIME

@Suite struct HTMLTextTests {
    @Test func dropsScriptStyleAndHead() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body><script>alert(1)</script><p>Hi</p></body></html>"
        #expect(HTMLText.render(html) == "Hi")
        #expect(HTMLText.render("<head><meta charset=utf-8><p>no closing head</p>") == "no closing head")
    }

    @Test func blocksBecomeLinesAndParagraphs() {
        #expect(HTMLText.render("<p>one</p><p>two</p>") == "one\n\ntwo")
        #expect(HTMLText.render("<div>a</div><div>b</div>") == "a\nb")
        #expect(HTMLText.render("a<br>b<br/><br>c") == "a\nb\n\nc")
        #expect(HTMLText.render("<h1>Title</h1>text") == "Title\n\ntext")
        #expect(HTMLText.render("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == "a b\nc")
        #expect(HTMLText.render("<p>a</p><p></p><p></p><br><br><p>b</p>") == "a\n\nb")
    }

    @Test func listsGetMarkers() {
        #expect(HTMLText.render("<ul><li>one</li><li>two</li></ul>") == "- one\n- two")
        #expect(HTMLText.render("<ol><li>one<li>two</ol>after") == "1. one\n2. two\n\nafter")
        #expect(HTMLText.render("<ol start=3><li>c</li></ol>") == "3. c")
        #expect(HTMLText.render("<ul><li>a<ul><li>b</li></ul></li></ul>") == "- a\n  - b")
    }

    @Test func linksAndImages() {
        #expect(HTMLText.render("<a href=\"https://x.org/a\">the site</a>") == "the site <https://x.org/a>")
        #expect(HTMLText.render("<a href='https://x.org/'>https://x.org</a>") == "https://x.org")
        #expect(HTMLText.render("<a href=\"mailto:a@b.c\">a@b.c</a>") == "a@b.c")
        #expect(HTMLText.render("<a href=\"#top\">top</a>") == "top")
        #expect(HTMLText.render("<blockquote><a href=\"http://q.org\">http://q.org</a></blockquote>") == "> http://q.org")
        #expect(HTMLText.render("<ul><li><a href=\"http://a.org/x\">A <b>bold</b> link</a></li></ul>") == "- A bold link <http://a.org/x>")
        #expect(HTMLText.render("see <img src=x.png alt=\"a cat\"> and <img src=y.png>") == "see [image: a cat] and")
    }

    @Test func entities() {
        #expect(HTMLText.render("a &amp; b &lt;c&gt; &quot;d&quot; &copy; &eacute; &euro; &hellip;") == "a & b <c> \"d\" © é € …")
        #expect(HTMLText.render("&#233;&#xE9;&#X1F600; &#150; &amp") == "éé😀 – &")
        #expect(HTMLText.render("a&nbsp;&nbsp;b") == "a  b")
        #expect(HTMLText.render("&bogus; & alone") == "&bogus; & alone")
        #expect(HTMLText.render("<a title=\"x&gt;y\" href=\"http://a/?x=1&amp;y=2\">go</a>") == "go <http://a/?x=1&y=2>")
    }

    @Test func whitespaceCollapsesExceptInPre() {
        #expect(HTMLText.render("  a \n\t b   <b> c </b>  ") == "a b c")
        #expect(HTMLText.render("<pre>\n  x  y\n\n\nz</pre>after") == "  x  y\n\nz\n\nafter")
    }

    @Test func quotesArePrefixed() {
        #expect(HTMLText.render("<p>reply</p><blockquote><p>old</p><p>older</p></blockquote>") == "reply\n\n> old\n>\n> older")
    }

    @Test func deepNestingShowsAtMostTenLevels() {
        // Each line repeats its nesting, so unbounded depth made text grow with the square of the input.
        let quotes = HTMLText.render(String(repeating: "<blockquote>", count: 12) + "deep")
        #expect(quotes == String(repeating: "> ", count: 10) + "deep")
        let lists = HTMLText.render(String(repeating: "<ul><li>", count: 12) + "deep").split(separator: "\n").last ?? ""
        #expect(lists == String(repeating: "  ", count: 10) + "- deep")
        #expect(HTMLText.render(String(repeating: "<blockquote>x", count: 3000)).utf8.count < 40 * 3000)
    }

    @Test func tolerantOfBrokenMarkup() {
        #expect(HTMLText.render("a < b and 1<2") == "a < b and 1<2")
        #expect(HTMLText.render("<!-- hidden --><!DOCTYPE html><p>x<p>y") == "x\n\ny")
        #expect(HTMLText.render("<div class=\"unclosed") == "")
        #expect(HTMLText.render("<script>never closed") == "")
        #expect(HTMLText.render("<!--[if mso]><b>o</b><![endif]-->ok<o:p></o:p>") == "ok")
    }
}

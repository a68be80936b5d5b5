/// `gmail-sandbox --help`'s discussion: the control API, kept under 80 columns a line.
enum SandboxHelp {
    static let discussion = """
        It prints its address and a gmail-tui command to try (with
        --client-secrets-out), then serves until Ctrl-C or SIGTERM. Nothing leaves
        127.0.0.1.

        Control API, under /_sandbox/ on the same port (loopback clients only):
          GET  log, stats                       the requests seen, counters
          GET  client-secrets?kind=web          a client secrets file for this sandbox
          GET  messages?labelId=UNREAD          the messages with their labels
          POST deliver?subject=&from=&labelId=  a new message (body: RFC 822 bytes)
          POST modify?id=&add=&remove=          change labels as another device would
          POST delete?id=                       delete a message for good
          POST forget-history?before=ID         older history ids then answer 404
          POST fail?path=&status=&count=        fail the next matching requests
          POST latency?ms=                      delay every request
          POST limits?max-concurrent=&quota-per-minute=&quota-status=
          POST revoke?email=, expire-tokens     end grants, expire access tokens
          POST users?email=&name=&deny=true     add a user (deny: refuses consent)
          POST choose-account?email=            the next account chooser's pick
          POST token?email=&scope=              mint an access token
        Example: curl -X POST 'http://127.0.0.1:PORT/_sandbox/latency?ms=500'

        Details: the README's "The sandbox, by hand" section; docs/wire.md in the
        source tree gives each operation's exact answers.
        """
}

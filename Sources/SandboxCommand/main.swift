import GmailSandbox
import ArgumentParser
print("gmail-sandbox: not built yet")

import ArgumentParser
import Logging
print("gmail-tui: not built yet")

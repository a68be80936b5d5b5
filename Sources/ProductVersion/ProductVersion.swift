/// The version `gmail-tui --version` and `gmail-sandbox --version` print: the one place it is written.
public enum ProductVersion {
    public static let current = "0.5.0"
}

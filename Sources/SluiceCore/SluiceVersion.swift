/// The release this build is: `sluice --version`, the client's `User-Agent`.
public enum SluiceVersion {
    public static let current = "1.0.0"
}

/// The workbench's own version, recorded in every run and export.
public enum WorkbenchVersion {
    /// The version string.
    public static let current = "0.1.0"
}

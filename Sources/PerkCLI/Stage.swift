/// Entry point of the `perk` executable (replaced by the real CLI).
public enum PerkCommandLine {
  /// Runs the command line and exits.
  public static func main() {}
}

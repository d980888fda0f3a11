import Foundation

/// Executables built next to the test bundle (`swift build --build-tests` builds them all).
public enum BuiltProducts {
    public static var directory: String {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The test runner may be inside an .xctest bundle folder.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("foley").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path
    }

    public static func path(_ name: String) -> String { "\(directory)/\(name)" }
}

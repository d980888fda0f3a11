import Foundation
import Runtime

/// Committed golden files under Tests/Fixtures (written by Training/golden scripts).
public enum Fixtures {
    /// The repository root, found from this source file's location.
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static func path(_ relative: String) -> String { "\(repositoryRoot)/Tests/Fixtures/\(relative)" }

    public static func golden(_ relative: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(path: path(relative))
    }
}

import Foundation
import Runtime

/// Drives a program in a detached tmux session: type keys, read the screen.
public final class Tmux {
    public let name: String
    let socket: String

    /// Starts `command` (run by sh) in a `width`×`height` session with `environment` added.
    public init(_ command: String, environment: [String: String] = [:], width: Int = 120, height: Int = 40) throws {
        name = "foley-\(getpid())-\(UUID().uuidString.prefix(6))"
        socket = NSTemporaryDirectory() + "\(name).sock"
        let env = environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]) { a, _ in a }
            .map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        // The tmux server outlives this call and would hold a captured stdout open (and keep
        // Foundation's Process from seeing the client exit): spawn the client directly, its
        // output sent nowhere, and reap it with waitpid.
        let args = ["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
                    "env \(env) \(command); echo '[exited' $? ']'; sleep 60"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, Int32(fd), "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var argv = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, nil, &argv, environ)
        guard rc == 0 else { throw TestHelperError.commandFailed("tmux new-session", "posix_spawnp: \(rc)") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw TestHelperError.commandFailed("tmux new-session", "wait status \(status)") }
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Subprocess.check("tmux", ["-S", socket] + arguments)
    }

    /// Keys in tmux's send-keys names: "g", "Space", "S-Right", "Tab", "Home", "q".
    public func send(_ keys: String...) throws {
        for k in keys { try tmux(["send-keys", "-t", name, k]) }
    }

    /// Types `text` literally (UTF-8 included), as a person at the keyboard would.
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Resizes the window, as a user dragging the terminal's corner.
    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    public func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// Waits until the screen contains `text`; throws with the last screen if it never does.
    @discardableResult
    public func wait(for text: String, timeout: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            usleep(50_000)
        }
        throw TestHelperError.fixture("tmux: '\(text)' never appeared; screen was:\n\(last)")
    }
}

/// Model bundles made at test time.
public enum TestBundles {
    /// A weights folder holding the shipped visual encoder and a test-tone generator bundle.
    public static func weightsWithTestTone(in folder: String, window: Int = 32768, workMilliseconds: Double = 0, fullBand: Bool = true) throws -> String {
        let dir = folder + "/weights"
        try FileManager.default.createDirectory(atPath: dir + "/test-tone", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/visual-encoder",
                                                   withDestinationPath: Fixtures.repositoryRoot + "/Weights/visual-encoder")
        // The shipped full-band renderer, so takes are written at 44.1 kHz as in the workstation.
        if fullBand {
            try FileManager.default.createSymbolicLink(atPath: dir + "/fullband-vocoder",
                                                       withDestinationPath: Fixtures.repositoryRoot + "/Weights/fullband-vocoder")
        }
        let config = "{\"kind\": \"test-tone\", \"window\": \(window), \"work_ms\": \(workMilliseconds)}"
        try config.write(toFile: dir + "/test-tone/config.json", atomically: true, encoding: .utf8)
        try SafeTensorsFile.write(["gain": Tensor(shape: [4], [1, 1, 1, 1])], to: dir + "/test-tone/weights.safetensors")
        return dir
    }

    /// A weights folder holding the shipped visual encoder and the tiny random SpecVQGAN
    /// fixture bundle (128-d features, 64-frame windows) under the name `specvqgan`.
    public static func weightsWithTinySpecVQGAN(in folder: String) throws -> String {
        let dir = folder + "/weights"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/visual-encoder",
                                                   withDestinationPath: Fixtures.repositoryRoot + "/Weights/visual-encoder")
        try FileManager.default.createSymbolicLink(atPath: dir + "/specvqgan", withDestinationPath: Fixtures.path("models/specvqgan-tiny"))
        return dir
    }

    /// A weights folder holding the shipped visual encoder, the tiny SpecVQGAN fixture and the
    /// tiny Visual Echoes fixture that takes its codec and vocoder from it by weights hash.
    public static func weightsWithTinyVisualEchoes(in folder: String) throws -> String {
        try weights(with: ["specvqgan-tiny", "visual-echoes-tiny"], in: folder)
    }

    /// A weights folder of the shipped visual encoder and the named fixture bundles (linked).
    public static func weights(with bundles: [String], in folder: String) throws -> String {
        let dir = folder + "/weights"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/visual-encoder",
                                                   withDestinationPath: Fixtures.repositoryRoot + "/Weights/visual-encoder")
        for name in bundles {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: Fixtures.path("models/\(name)"))
        }
        return dir
    }
}

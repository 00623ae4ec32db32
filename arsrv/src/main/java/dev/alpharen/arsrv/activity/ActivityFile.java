package dev.alpharen.arsrv.activity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's file sink: activities as JSON lines in segments named
 * {@code activities-<yyyyMMdd>-<n>.jsonl}, a new segment each UTC day and whenever one reaches its
 * size limit; the oldest segments are deleted past a count or an age. A line is written and forced
 * to the disk before {@link #append} returns, so a returned append survives a crash; a line cut by
 * a crash is cut off when the file is opened again. Readers ({@link #read}, {@link #query}) see
 * only whole lines. Thread-safe.
 */
public final class ActivityFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActivityFile.class);
  private static final Pattern NAME = Pattern.compile("activities-(\\d{8})-(\\d{6})\\.jsonl");
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final int CHUNK = 4 << 20;

  private final Settings settings;
  private final Clock clock;
  private FileChannel channel; // guarded by this
  private Path current; // guarded by this
  private long size; // guarded by this

  /**
   * Where and how much to keep.
   *
   * @param dir the directory of the segments
   * @param rollBytes a segment is closed once it holds this many bytes
   * @param keepFiles at most this many segments are kept
   * @param keepFor segments whose day ended longer ago than this are deleted
   */
  public record Settings(Path dir, long rollBytes, int keepFiles, Duration keepFor) {
    public Settings {
      Objects.requireNonNull(dir, "dir");
      if (rollBytes < 1024) {
        throw new IllegalArgumentException("rollBytes must be at least 1024, was " + rollBytes);
      }
      if (keepFiles < 1) {
        throw new IllegalArgumentException("keepFiles must be at least 1, was " + keepFiles);
      }
      if (keepFor.isNegative() || keepFor.isZero()) {
        throw new IllegalArgumentException("keepFor must be more than 0, was " + keepFor);
      }
    }
  }

  /** A place in the file: a segment's name and a byte offset in it at the start of a line. */
  public record Position(String segment, long offset) {
    /** Before the first segment. */
    public static final Position START = new Position("", 0);
  }

  /** Whole lines read from a position, and the position after them. */
  public record Batch(List<String> lines, Position next, long skippedBytes) {}

  private ActivityFile(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Opens the newest segment for appending (creating the directory), cutting a torn last line. */
  public static ActivityFile open(Settings settings, Clock clock) throws IOException {
    Files.createDirectories(settings.dir());
    ActivityFile file = new ActivityFile(settings, clock);
    synchronized (file) {
      List<Path> segments = file.segments();
      if (!segments.isEmpty()) {
        file.openSegment(segments.get(segments.size() - 1));
      }
      file.prune();
    }
    return file;
  }

  /** Appends the lines (each without a line break) and forces them to the disk. */
  public void append(List<String> lines) throws IOException {
    StringBuilder text = new StringBuilder(lines.size() * 200);
    for (String line : lines) {
      text.append(line).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    append(bytes, bytes.length);
  }

  /**
   * Appends {@code length} bytes of whole lines, each ending with a line break, and forces them
   * to the disk.
   */
  public synchronized void append(byte[] lines, int length) throws IOException {
    if (length == 0) {
      return;
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (channel == null || size >= settings.rollBytes() || !dayOf(current).equals(today)) {
      roll(today);
    }
    ByteBuffer bytes = ByteBuffer.wrap(lines, 0, length);
    while (bytes.hasRemaining()) {
      size += channel.write(bytes);
    }
    channel.force(false);
  }

  /** The segments, oldest first. */
  public List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(settings.dir())) {
      return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted()
          .toList();
    }
  }

  /** The position after the last whole line written so far. */
  public synchronized Position end() {
    return current == null ? Position.START
        : new Position(current.getFileName().toString(), size);
  }

  /**
   * Reads up to {@code max} whole lines from {@code from}, moving on to later segments. A position
   * in a segment that retention deleted continues at the oldest segment kept; the bytes so lost
   * are reported in {@link Batch#skippedBytes()}.
   */
  public Batch read(Position from, int max) throws IOException {
    List<Path> segments = segments();
    List<String> lines = new ArrayList<>();
    long skipped = 0;
    Position at = from;
    int i = indexOf(segments, at.segment());
    if (i < 0) {
      if (!at.segment().isEmpty()) {
        skipped = Math.max(1, at.offset());
      }
      if (segments.isEmpty()) {
        return new Batch(lines, at, skipped);
      }
      i = firstAfter(segments, at.segment());
      if (i >= segments.size()) {
        return new Batch(lines, at, 0);
      }
      at = new Position(segments.get(i).getFileName().toString(), 0);
    }
    while (lines.size() < max) {
      Path segment = segments.get(i);
      long offset = readLines(segment, at.offset(), max - lines.size(), lines);
      at = new Position(at.segment(), offset);
      if (lines.size() >= max || i + 1 >= segments.size() || offset < Files.size(segment)) {
        break;
      }
      i++;
      at = new Position(segments.get(i).getFileName().toString(), 0);
    }
    return new Batch(lines, at, skipped);
  }

  /**
   * The activities matching {@code filter}, newest first, at most {@code limit}. Segments of
   * days before {@code since} are not read; the others are read in bounded chunks, keeping at most
   * {@code limit} activities in memory.
   */
  public List<Activity> query(Predicate<Activity> filter, int limit, Instant since)
      throws IOException {
    List<Activity> found = new ArrayList<>();
    List<Path> segments = segments();
    LocalDate firstDay = LocalDate.ofInstant(since, ZoneOffset.UTC);
    for (int i = segments.size() - 1; i >= 0 && found.size() < limit; i--) {
      Path segment = segments.get(i);
      if (dayOf(segment).isBefore(firstDay)) {
        break; // older segments hold older days only
      }
      Deque<Activity> newest = new ArrayDeque<>();
      int room = limit - found.size();
      long offset = 0;
      while (true) {
        List<String> lines = new ArrayList<>();
        long next;
        try {
          next = readLines(segment, offset, 5000, lines);
        } catch (NoSuchFileException e) {
          break; // deleted by retention meanwhile
        }
        for (String line : lines) {
          try {
            Activity a = Activity.fromJson(line);
            if (filter.test(a)) {
              newest.addLast(a);
              if (newest.size() > room) {
                newest.removeFirst();
              }
            }
          } catch (IllegalArgumentException e) {
            log.warn("{}: skipping a line that is not an activity: {}", segment, e.getMessage());
          }
        }
        if (lines.isEmpty() || next == offset) {
          break;
        }
        offset = next;
      }
      newest.descendingIterator().forEachRemaining(found::add);
    }
    return found;
  }

  /** {@link #query(Predicate, int, Instant)} over every segment. */
  public List<Activity> query(Predicate<Activity> filter, int limit) throws IOException {
    return query(filter, limit, Instant.EPOCH);
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void roll(LocalDate today) throws IOException {
    int next = 1;
    if (current != null && dayOf(current).equals(today)) {
      next = numberOf(current) + 1;
    }
    close();
    Path segment = settings.dir().resolve(String.format("activities-%s-%06d.jsonl",
        DAY.format(today), next));
    openSegment(segment);
    prune();
  }

  private void openSegment(Path segment) throws IOException {
    channel = FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    current = segment;
    size = wholeLinesEnd(channel);
    if (size < channel.size()) {
      log.warn("{}: cutting {} bytes of a line torn by a crash (never acknowledged)", segment,
          channel.size() - size);
      channel.truncate(size);
      channel.force(true);
    }
    channel.position(size);
  }

  /** Deletes the oldest segments past the count or the age; never the current one. */
  private void prune() throws IOException {
    List<Path> segments = new ArrayList<>(segments());
    segments.remove(current);
    LocalDate oldestKept = LocalDate.ofInstant(clock.instant().minus(settings.keepFor()),
        ZoneOffset.UTC);
    int excess = segments.size() + (current == null ? 0 : 1) - settings.keepFiles();
    for (Path segment : segments) {
      if (excess > 0 || dayOf(segment).isBefore(oldestKept)) {
        Files.deleteIfExists(segment);
        excess--;
        log.info("deleted activity segment {} (retention: {} files, {})", segment.getFileName(),
            settings.keepFiles(), settings.keepFor());
      }
    }
  }

  /** Appends whole lines from {@code offset}; returns the offset after the last one. */
  private static long readLines(Path segment, long offset, int max, List<String> into)
      throws IOException {
    byte[] bytes;
    try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ)) {
      long length = in.size() - offset;
      if (length <= 0) {
        return offset;
      }
      // a bounded chunk; lines are far shorter
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, CHUNK));
      while (buffer.hasRemaining() && in.read(buffer, offset + buffer.position()) >= 0) {
        // read until full or end of file
      }
      bytes = buffer.array();
    }
    int start = 0;
    int taken = 0;
    for (int i = 0; i < bytes.length && taken < max; i++) {
      if (bytes[i] == '\n') {
        if (i > start) {
          into.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
          taken++;
        }
        start = i + 1;
      }
    }
    return offset + start;
  }

  private static long wholeLinesEnd(FileChannel channel) throws IOException {
    long end = channel.size();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (end > 0) {
      one.clear();
      channel.read(one, end - 1);
      if (one.get(0) == '\n') {
        return end;
      }
      end--;
    }
    return 0;
  }

  private static int indexOf(List<Path> segments, String name) {
    for (int i = 0; i < segments.size(); i++) {
      if (segments.get(i).getFileName().toString().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static int firstAfter(List<Path> segments, String name) {
    int i = 0;
    while (i < segments.size() && segments.get(i).getFileName().toString().compareTo(name) < 0) {
      i++;
    }
    return i;
  }

  private static LocalDate dayOf(Path segment) {
    return LocalDate.parse(match(segment).group(1), DAY);
  }

  private static int numberOf(Path segment) {
    return Integer.parseInt(match(segment).group(2));
  }

  private static Matcher match(Path segment) {
    Matcher m = NAME.matcher(segment.getFileName().toString());
    if (!m.matches()) {
      throw new UncheckedIOException(new IOException(segment + " is not an activity segment"));
    }
    return m;
  }
}

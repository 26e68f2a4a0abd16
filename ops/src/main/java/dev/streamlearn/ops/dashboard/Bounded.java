package dev.streamlearn.ops.dashboard;

import java.util.ArrayDeque;
import java.util.List;

/** The newest {@code capacity} items of a stream, oldest first: what a chart can show. */
final class Bounded<T> {
    private final int capacity;
    private final ArrayDeque<T> items;

    Bounded(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    void add(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
    }

    T last() {
        return items.peekLast();
    }

    List<T> items() {
        return List.copyOf(items);
    }

    int size() {
        return items.size();
    }
}

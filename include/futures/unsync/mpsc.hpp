// futures layer: unsync::mpsc (to be written).
#pragma once

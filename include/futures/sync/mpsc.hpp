// futures layer: sync::mpsc (to be written).
#pragma once

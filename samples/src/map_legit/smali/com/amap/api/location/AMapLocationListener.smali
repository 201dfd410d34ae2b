.class public interface abstract Lcom/amap/api/location/AMapLocationListener;
.super Ljava/lang/Object;
.source "AMapLocationListener.java"

# AMap location SDK callback interface (public API shape of the real SDK).

.method public abstract onLocationChanged(Lcom/amap/api/location/AMapLocation;)V
.end method
